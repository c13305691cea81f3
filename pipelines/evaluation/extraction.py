"""Article-body extraction quality on the Zyte (scrapinghub) article-extraction benchmark.

181 real news and blog pages (NEWS_EVAL_DIR/extraction/scrapinghub/html/*.html.gz) with their true
article bodies (ground-truth.json), scored with the benchmark's own metric (shingles.py), on all pages and
on two fixed halves (by the first hex digit of the page's key: even is the half changes are developed on,
odd the half kept for checking that they carry over). Three rows:
- shipped: the pipeline's extraction exactly as it runs on every HTML document (page bytes →
  extract.html_to_str → extract.extract_html, the settings in pipelines/core/extract.py);
- articles.text: the same plus the cleaner, i.e. the text analysts get in the articles table;
- trafilatura defaults: `trafilatura.extract(html, include_comments=False)` on the page read as UTF-8,
  as the benchmark's own runner calls it (the configuration behind the published 0.958).
No URL or other ground-truth field is given to the extractor, and no setting depends on a page.

Titles: how many of the pipeline's titles still carry the site's name at either end, next to trafilatura's
own titles. The site's name is what the page's og:site_name says or the name in the page's true address
(ground-truth.json), compared as letters and digits; the extractor never sees that address.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from pipelines.core.clean import CleanError, clean_text
from pipelines.core.decode import DecodeError
from pipelines.core.extract import ExtractError, extract_html, html_to_str
from pipelines.evaluation import Result
from pipelines.evaluation.shingles import Counts, accuracy, bootstrap_std, page_counts, scores

PUBLISHED = {"trafilatura 2.0.0 (published)": 0.958, "best published (AutoExtract)": 0.970}


@dataclass(frozen=True)
class Page:
    key: str
    html: bytes
    body: str
    url: str = ""

    @property
    def half(self) -> str:
        """'dev' (first hex digit of the key even) or 'check': a fixed split nobody chose by its pages."""
        return "dev" if int(self.key[0], 16) % 2 == 0 else "check"


def benchmark_pages(data_dir: Path) -> list[Page] | None:
    """The benchmark's pages in a stable order, or None when the data is not there."""
    root = data_dir / "extraction" / "scrapinghub"
    truth_file = root / "ground-truth.json"
    if not truth_file.is_file():
        return None
    truth = json.loads(truth_file.read_text("utf-8"))
    pages = []
    for key in sorted(truth):
        path = root / "html" / f"{key}.html.gz"
        if path.is_file():
            pages.append(
                Page(
                    key,
                    gzip.decompress(path.read_bytes()),
                    truth[key].get("articleBody") or "",
                    truth[key].get("url") or "",
                )
            )
    return pages


def shipped_text(html: bytes) -> str:
    """What the pipeline extracts from a page's bytes ("" when it finds no article)."""
    try:
        markup, _ = html_to_str(html)
        return extract_html(markup).text
    except (DecodeError, ExtractError):
        return ""


def _cleaned_text(html: bytes) -> str:
    try:
        markup, _ = html_to_str(html)
        page = extract_html(markup)
        return clean_text(page.text, title=page.title, extracted=True).text
    except (DecodeError, ExtractError, CleanError):
        return ""


def _reference_text(html: bytes) -> str:
    return trafilatura.extract(html.decode("utf-8", "replace"), include_comments=False) or ""


def _scores(counts: Sequence[Counts]) -> dict[str, float]:
    return {k: round(v, 4) for k, v in scores(counts).items()}


def _row(name: str, pages: list[Page], extract: Callable[[bytes], str]) -> dict[str, object]:
    predictions = [extract(page.html) for page in pages]
    counts = [page_counts(page.body, text) for page, text in zip(pages, predictions, strict=True)]
    spread = bootstrap_std(counts)
    halves = {
        half: _scores([c for p, c in zip(pages, counts, strict=True) if p.half == half]) for half in ("dev", "check")
    }
    return {
        "name": name,
        **_scores(counts),
        **{f"{k}_std": round(v, 4) for k, v in spread.items()},
        "accuracy": round(sum(accuracy(p.body, t) for p, t in zip(pages, predictions, strict=True)) / len(pages), 4),
        "empty": sum(1 for text in predictions if not text.strip()),
        "halves": halves,
    }


_SEPARATOR_AT_END = r"\s*[|\-–—:·•»_/]+\s*"


def _carries_site_name(title: str | None, names: list[str]) -> bool:
    """Whether the title starts or ends with one of the names, set off by a separator."""
    if not title:
        return False
    for name in names:
        if len(name) < 2:
            continue
        escaped = re.escape(name)
        if re.search(rf"{_SEPARATOR_AT_END}{escaped}\s*$", title, re.IGNORECASE) or re.search(
            rf"^\s*{escaped}{_SEPARATOR_AT_END}", title, re.IGNORECASE
        ):
            return True
    return False


def _site_names(page: Page, site_name: str | None) -> list[str]:
    host = re.sub(r"^(www|m|amp)\.", "", (re.match(r"https?://([^/:]+)", page.url) or [None, ""])[1].lower())
    label = host.split(".")[0] if host else ""
    return [n for n in (site_name, host, label) if n]


def _title_counts(pages: list[Page]) -> dict[str, int]:
    """Titles carrying a site name: trafilatura's own (as the pipeline stored them before) and ours."""
    ours = theirs = 0
    for page in pages:
        try:
            markup, _ = html_to_str(page.html)
            extracted = extract_html(markup)
        except (DecodeError, ExtractError):
            continue
        raw = trafilatura.bare_extraction(markup, with_metadata=True, favor_precision=True)
        names = _site_names(page, extracted.site_name)
        theirs += _carries_site_name(getattr(raw, "title", None), names)
        ours += _carries_site_name(extracted.title, names)
    return {"trafilatura_titles_with_site_name": theirs, "pipeline_titles_with_site_name": ours}


def run(data_dir: Path) -> Result:
    pages = benchmark_pages(data_dir)
    if not pages:
        return Result("extraction", "", skipped=f"no benchmark pages under {data_dir / 'extraction' / 'scrapinghub'}")
    rows = [
        _row("shipped (pipelines/core/extract.py)", pages, shipped_text),
        _row("articles.text (extraction + cleaner)", pages, _cleaned_text),
        _row("trafilatura defaults, as the benchmark runs it", pages, _reference_text),
    ]
    titles = _title_counts(pages)
    dev = sum(1 for p in pages if p.half == "dev")
    lines = [
        f"Zyte article-extraction benchmark, {len(pages)} pages; shingle metric (mean ± bootstrap std). F1 on the",
        f"two fixed halves: dev ({dev} pages, where changes are developed) and check ({len(pages) - dev}).",
        "",
        "| extractor | F1 | precision | recall | accuracy | pages with no text | F1 dev | F1 check |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['f1']:.3f} ± {r['f1_std']:.3f} | {r['precision']:.3f} ± {r['precision_std']:.3f} "
            f"| {r['recall']:.3f} ± {r['recall_std']:.3f} | {r['accuracy']:.3f} | {r['empty']} "
            f"| {r['halves']['dev']['f1']:.3f} | {r['halves']['check']['f1']:.3f} |"
        )
    lines += [f"| {name} | {f1:.3f} | | | | | | |" for name, f1 in PUBLISHED.items()]
    lines += [
        "",
        f"Titles still carrying the site's name: {titles['pipeline_titles_with_site_name']} of {len(pages)} "
        f"(trafilatura's own titles: {titles['trafilatura_titles_with_site_name']}).",
    ]
    return Result(
        "extraction", "\n".join(lines), {"pages": len(pages), "rows": rows, "titles": titles, "published": PUBLISHED}
    )
