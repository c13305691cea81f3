"""Language identification: how many English texts would not be parsed (tagged other than "en"), and how
many non-English texts would be sent through the English model (tagged "en").

English sets, all from NEWS_EVAL_DIR: the 2,225 BBC articles' bodies, their first paragraphs, their
headlines of 5 words or more (short texts) and the same in capitals; the event gold sets' sentences (PLOVER,
PETRARCH-2); the ECB+ articles; and the extraction benchmark's pages whose true body is English, as the
pipeline cleans them (articles.text, with the language the page declares). Non-English: the benchmark's
pages whose true body is not English, whole and as passages of 6 and 12 words. A body's reference language
is the classifier's answer on its whole true body at a probability over 0.99.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pipelines.core.articles import CleanArticle, DocumentIn, build_article
from pipelines.core.formats import HTML
from pipelines.core.language import _identifier, detect_language
from pipelines.core.text import word_count
from pipelines.evaluation import Result
from pipelines.evaluation.events import GSR_FILE, PETR_FILE, petrarch_gold, plover_gold
from pipelines.evaluation.extraction import benchmark_pages


def _language(text: str) -> str:
    return detect_language(text, word_count(text))[0]


def _bbc(data_dir: Path) -> list[tuple[str, str]]:
    """(headline, body) of each BBC file: first line, then the rest."""
    out = []
    for path in sorted((data_dir / "corpus" / "bbc").rglob("*.txt")):
        headline, _, body = path.read_bytes().decode("latin-1").partition("\n")
        out.append((headline.strip(), body.strip()))
    return out


def _passages(body: str, words: int) -> Iterator[str]:
    tokens = body.split()
    for start in range(0, min(len(tokens), 200), 25):
        if len(tokens[start : start + words]) == words:
            yield " ".join(tokens[start : start + words])


def _benchmark(data_dir: Path) -> tuple[list[str], list[str]]:
    """Languages the pipeline gives the English benchmark pages (build_article: extraction, cleaning, the
    page's declared language); true bodies of the non-English pages."""
    english, other = [], []
    for page in benchmark_pages(data_dir) or []:
        code, probability = _identifier().classify(page.body[:5000])
        if probability <= 0.99:
            continue
        if code != "en":
            other.append(page.body)
            continue
        doc = DocumentIn(page.key, "eval", f"{page.key}.html", None, HTML, page.html, datetime(2026, 1, 1))
        article = build_article(doc)
        english.append(str(article.row["language"]) if isinstance(article, CleanArticle) else "rejected")
    return english, other


def run(data_dir: Path) -> Result:
    bbc = _bbc(data_dir)
    if not bbc:
        return Result("language", "", skipped=f"no BBC corpus under {data_dir / 'corpus' / 'bbc'}")
    english_pages, other_pages = _benchmark(data_dir)
    events = data_dir / "events"
    stories = data_dir / "stories" / "ecbplus_dev.jsonl"
    sets: dict[str, list[str]] = {
        "BBC bodies": [body for _, body in bbc],
        "BBC first paragraphs": [re.split(r"\n\s*\n", body)[0] for _, body in bbc],
        "BBC headlines (5+ words)": [h for h, _ in bbc if word_count(h) >= 5],
        "BBC HEADLINES IN CAPITALS (5+ words)": [h.upper() for h, _ in bbc if word_count(h) >= 5],
        "PLOVER sentences": [t for t, _ in plover_gold(events / GSR_FILE)] if (events / GSR_FILE).exists() else [],
        "PETRARCH-2 sentences": [t for t, _ in petrarch_gold(events / PETR_FILE)]
        if (events / PETR_FILE).exists()
        else [],
        "ECB+ articles": [json.loads(line)["text"] for line in stories.open(encoding="utf-8")]
        if stories.exists()
        else [],
    }
    rows, skipped_total, english_total = [], 0, 0
    languages = {name: [_language(text) for text in texts] for name, texts in sets.items()}
    languages["benchmark pages in English, as articles"] = english_pages
    for name, codes in languages.items():
        skipped = len(codes) - codes.count("en")
        rows.append({"set": name, "texts": len(codes), "not_en": skipped})
        skipped_total += skipped
        english_total += len(codes)
    guard = {
        "non-English benchmark bodies": [_language(b) for b in other_pages],
        "their 12-word passages": [_language(p) for b in other_pages for p in _passages(b, 12)],
        "their 6-word passages": [_language(p) for b in other_pages for p in _passages(b, 6)],
    }
    lines = [
        "English texts not tagged en (so not parsed), per set; non-English texts tagged en (parsed as English).",
        "",
        "| English set | texts | not tagged en |",
        "|---|---:|---:|",
        *[f"| {r['set']} | {r['texts']} | {r['not_en']} |" for r in rows],
        f"| all | {english_total} | {skipped_total} |",
        "",
        "| non-English set | texts | tagged en |",
        "|---|---:|---:|",
        *[f"| {name} | {len(codes)} | {codes.count('en')} |" for name, codes in guard.items()],
    ]
    metrics = {
        "english_sets": rows,
        "english_not_en": skipped_total,
        "english_texts": english_total,
        "non_english_tagged_en": {name: codes.count("en") for name, codes in guard.items()},
    }
    return Result("language", "\n".join(lines), metrics)
