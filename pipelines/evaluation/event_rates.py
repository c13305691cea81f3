"""Events per 100 articles on the BBC corpus by topic folder: how much the coder finds in text that is not
political news (sport, entertainment, business, technology) next to politics, with examples of what remains, and
the coder's CPU per article.

The texts (NEWS_EVAL_DIR/corpus/bbc/<folder>/*.txt: headline, blank line, body) are parsed with the
pipeline's model in the worker pool; each worker codes the parse it just made, so no Doc crosses a
process. Counted as countable_events counts: not negated, not hypothetical. The coder time is
code_events alone (reading a stored parse back, which the events stage also does, is measured by
`make bench`).
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from pipelines.core.events.coder import code_events
from pipelines.core.nlp.model import load_pipeline
from pipelines.core.nlp.parse import pipe
from pipelines.core.workers import map_chunks
from pipelines.evaluation import Result
from pipelines.evaluation.dedupe_variants import parse_source

FOLDERS = ("politics", "business", "sport", "entertainment", "tech")
EXAMPLES = 6


@dataclass(frozen=True)
class _Coded:
    """One article's countable events (type, mode, actor, sentence) and the CPU seconds coding took."""

    events: tuple[tuple[str, str | None, str | None, str], ...]
    seconds: float


def _parse_and_code(texts: Sequence[str]) -> list[_Coded]:
    out = []
    for doc in pipe(load_pipeline(), texts):
        started = time.process_time()
        found = [e for e in code_events(doc) if not (e.negated or e.hypothetical)]
        seconds = time.process_time() - started
        sentences = list(doc.sents)
        rows = tuple(
            (
                e.event_type,
                e.mode,
                e.actors[0].text if e.actors else None,
                " ".join(sentences[e.sentence_idx].text.split())[:160],
            )
            for e in found
        )
        out.append(_Coded(rows, seconds))
    return out


def _body(path: Path) -> str:
    source = parse_source(path.stem, path.parent.name, path.read_text("utf-8", errors="replace"))
    return "\n\n".join(source.paragraphs)


def run(data_dir: Path) -> Result:
    corpus = data_dir / "corpus" / "bbc"
    folders = [f for f in FOLDERS if (corpus / f).is_dir()]
    if not folders:
        return Result("event_rates", "", skipped=f"{corpus} not found")
    files = {f: sorted((corpus / f).glob("*.txt")) for f in folders}
    texts = [_body(path) for f in folders for path in files[f]]
    coded = list(map_chunks(_parse_and_code, texts))
    rows, metrics, examples = [], {}, []
    start = 0
    for folder in folders:
        mine = coded[start : start + len(files[folder])]
        start += len(files[folder])
        events = [e for c in mine for e in c.events]
        types = Counter(e[0] for e in events)
        per_100 = 100 * len(events) / len(mine)
        rows.append(
            f"| {folder} | {len(mine)} | {len(events)} | **{per_100:.0f}** | "
            + ", ".join(f"{t} {n}" for t, n in types.most_common())
            + " |"
        )
        metrics[folder] = {"articles": len(mine), "events": len(events), "per_100": round(per_100, 1)}
        if folder in ("sport", "entertainment", "tech"):
            examples += [
                f"- {folder}: {t}/{m or '–'}, actor {a or '(none)'}: “{s}”" for t, m, a, s in events[:EXAMPLES]
            ]
    ms = 1000 * sum(c.seconds for c in coded) / len(coded)
    metrics["coder_ms_per_article"] = round(ms, 2)
    markdown = "\n".join(
        [
            "### Events per 100 BBC articles, by topic folder (countable: not negated or hypothetical)",
            "",
            "| folder | articles | events | per 100 articles | by type |",
            "|---|---:|---:|---:|---|",
            *rows,
            "",
            f"Coder CPU: {ms:.2f} ms per article (code_events on the parse, {len(coded)} articles).",
            "",
            "First events found in sport, entertainment and tech:",
            "",
            *examples,
        ]
    )
    return Result("event_rates", markdown, metrics)
