"""Article-body extraction quality on the Zyte (scrapinghub) article-extraction benchmark.

181 real news and blog pages (NEWS_EVAL_DIR/extraction/scrapinghub/html/*.html.gz) with their true
article bodies (ground-truth.json), scored with the benchmark's own metric (shingles.py). Three rows:
- shipped: the pipeline's extraction exactly as it runs on every HTML document (page bytes →
  extract.html_to_str → extract.extract_html, the settings in pipelines/core/extract.py);
- articles.text: the same plus the cleaner, i.e. the text analysts get in the articles table;
- trafilatura defaults: `trafilatura.extract(html, include_comments=False)` on the page read as UTF-8,
  as the benchmark's own runner calls it (the configuration behind the published 0.958).
No URL or other ground-truth field is given to the extractor, and no setting depends on a page.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import trafilatura

from pipelines.core.clean import CleanError, clean_text
from pipelines.core.decode import DecodeError
from pipelines.core.extract import ExtractError, extract_html, html_to_str
from pipelines.evaluation import Result
from pipelines.evaluation.shingles import accuracy, bootstrap_std, page_counts, scores

PUBLISHED = {"trafilatura 2.0.0 (published)": 0.958, "best published (AutoExtract)": 0.970}


@dataclass(frozen=True)
class Page:
    key: str
    html: bytes
    body: str


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
            pages.append(Page(key, gzip.decompress(path.read_bytes()), truth[key].get("articleBody") or ""))
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
        return clean_text(page.text, title=page.title).text
    except (DecodeError, ExtractError, CleanError):
        return ""


def _reference_text(html: bytes) -> str:
    return trafilatura.extract(html.decode("utf-8", "replace"), include_comments=False) or ""


def _row(name: str, pages: list[Page], extract: Callable[[bytes], str]) -> dict[str, float | int | str]:
    predictions = [extract(page.html) for page in pages]
    counts = [page_counts(page.body, text) for page, text in zip(pages, predictions, strict=True)]
    result = scores(counts)
    spread = bootstrap_std(counts)
    return {
        "name": name,
        **{k: round(v, 4) for k, v in result.items()},
        **{f"{k}_std": round(v, 4) for k, v in spread.items()},
        "accuracy": round(sum(accuracy(p.body, t) for p, t in zip(pages, predictions, strict=True)) / len(pages), 4),
        "empty": sum(1 for text in predictions if not text.strip()),
    }


def run(data_dir: Path) -> Result:
    pages = benchmark_pages(data_dir)
    if not pages:
        return Result("extraction", "", skipped=f"no benchmark pages under {data_dir / 'extraction' / 'scrapinghub'}")
    rows = [
        _row("shipped (pipelines/core/extract.py)", pages, shipped_text),
        _row("articles.text (extraction + cleaner)", pages, _cleaned_text),
        _row("trafilatura defaults, as the benchmark runs it", pages, _reference_text),
    ]
    lines = [
        f"Zyte article-extraction benchmark, {len(pages)} pages; shingle metric (mean ± bootstrap std).",
        "",
        "| extractor | F1 | precision | recall | accuracy | pages with no text |",
        "|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['name']} | {r['f1']:.3f} ± {r['f1_std']:.3f} | {r['precision']:.3f} ± {r['precision_std']:.3f} "
            f"| {r['recall']:.3f} ± {r['recall_std']:.3f} | {r['accuracy']:.3f} | {r['empty']} |"
        )
    lines += [f"| {name} | {f1:.3f} | | | | |" for name, f1 in PUBLISHED.items()]
    return Result("extraction", "\n".join(lines), {"pages": len(pages), "rows": rows, "published": PUBLISHED})
