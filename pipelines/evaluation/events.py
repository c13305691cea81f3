"""Event coding quality on two gold sets (read from NEWS_EVAL_DIR/events at run time, never copied):

- PLOVER_GSR_CAMEO.txt: the PLOVER gold-standard records (one sentence each, coded with a PLOVER type by
  the Open Event Data Alliance; older type names are mapped through plover.yaml's aliases).
- PETR2_GSR_validation.xml: PETRARCH-2's validation sentences with expected CAMEO codes, mapped to PLOVER
  through cameo_plover.csv; "noevents" records expect nothing. A record passes when the set of PLOVER
  types we code (negated events excluded) equals the expected set: the measure PETRARCH-2 reports for its
  own records (about 68% for it).

Sentences are parsed here with the pipeline's model (load_pipeline), exactly as articles are.
Per-type precision/recall count records: a type is a true positive on a record when both gold and coder
have it there.

Folds, so that a gain from rules written while reading a set's errors is not mistaken for one that
carries over: every third record (index % 3 == 2) is held out and its sentences are never read while
rules are written; the other two thirds are split by a hash of the text into dev-a (whose errors are
read) and dev-b (read only for its scores). Each fold's scores are printed next to the whole set's.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from pipelines.core.events.coder import code_events
from pipelines.core.events.ontology import cameo_to_plover, plover_type
from pipelines.core.nlp.model import load_pipeline
from pipelines.evaluation import Result
from pipelines.evaluation.scoring import PRF, per_label, table

GSR_FILE = "PLOVER_GSR_CAMEO.txt"
PETR_FILE = "PETR2_GSR_validation.xml"


def plover_gold(path: Path) -> list[tuple[str, set[str]]]:
    """(sentence, {gold type}) of every PLOVER gold record with a text."""
    records = json.loads(path.read_text("utf-8"))
    return [(r["text"], {plover_type(r["event"])}) for r in records if r.get("text") and r["event"] != "DOCUMENT"]


_SENTENCE = re.compile(r"<Sentence\b(?P<attrs>[^>]*)>(?P<body>.*?)(?=<Sentence\b|</Sentences>)", re.S)


def petrarch_gold(path: Path) -> list[tuple[str, set[str]]]:
    """(sentence, expected PLOVER types) of every PETRARCH-2 validation record with a text."""
    out = []
    for match in _SENTENCE.finditer(path.read_text("utf-8")):
        body = match["body"]
        text = re.search(r"<Text>(.*?)</Text>", body, re.S)
        if not text or not text.group(1).strip():
            continue
        codes = re.findall(r'eventcode="(\d+)"', body)
        expected = {m.plover for m in map(cameo_to_plover, codes) if m.plover}
        out.append((" ".join(text.group(1).split()), expected))
    return out


FOLDS = ("dev-a", "dev-b", "held-out")


def fold(index: int, text: str) -> str:
    """The fold of a gold record: held-out (every third), else dev-a or dev-b by a hash of its text."""
    if index % 3 == 2:
        return "held-out"
    return "dev-a" if int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 2 == 0 else "dev-b"


def _fold_scores(gold: list[tuple[str, set[str]]], pairs: list[tuple[set[str], set[str]]]) -> dict[str, dict]:
    by_fold: dict[str, list[tuple[set[str], set[str]]]] = {name: [] for name in FOLDS}
    for index, ((text, _), pair) in enumerate(zip(gold, pairs, strict=True)):
        by_fold[fold(index, text)].append(pair)
    out = {}
    for name, fold_pairs in by_fold.items():
        _, overall = per_label(fold_pairs)
        passed = sum(g == p for g, p in fold_pairs)
        out[name] = {
            "records": len(fold_pairs),
            "pass_rate": round(passed / len(fold_pairs), 3) if fold_pairs else None,
            "precision": overall.precision,
            "recall": overall.recall,
        }
    return out


def _fold_table(folds: dict[str, dict]) -> str:
    lines = ["| fold | records | passed | micro precision | micro recall |", "|---|---:|---:|---:|---:|"]
    for name, f in folds.items():
        lines.append(f"| {name} | {f['records']} | {f['pass_rate']:.1%} | {f['precision']:.3f} | {f['recall']:.3f} |")
    return "\n".join(lines)


def _code(sentences: list[str]) -> list[set[str]]:
    nlp = load_pipeline()
    return [{e.event_type for e in code_events(doc) if not e.negated} for doc in nlp.pipe(sentences)]


def _score(name: str, gold: list[tuple[str, set[str]]]) -> tuple[str, dict]:
    predicted = _code([text for text, _ in gold])
    pairs = [(g, p) for (_, g), p in zip(gold, predicted, strict=True)]
    by_type, overall = per_label(pairs)
    passed = sum(g == p for g, p in pairs)
    found = sum(bool(g & p) for g, p in pairs if g)
    with_gold = sum(1 for g, _ in pairs if g)
    rows: list[tuple[str, PRF]] = [*by_type.items(), ("**overall (micro)**", overall)]
    folds = _fold_scores(gold, pairs)
    markdown = (
        f"### {name}: {len(pairs)} records\n\n"
        f"Records passed (coded type set = gold set): **{passed}/{len(pairs)} = {passed / len(pairs):.1%}**; "
        f"a gold type found in {found}/{with_gold} records with an event.\n\n"
        + table(rows)
        + "\n\nBy fold (held-out: every third record, never read while writing rules):\n\n"
        + _fold_table(folds)
    )
    metrics = {
        "records": len(pairs),
        "passed": passed,
        "pass_rate": round(passed / len(pairs), 3),
        "gold_type_found": round(found / with_gold, 3) if with_gold else None,
        "overall": vars(overall),
        "per_type": {k: vars(v) for k, v in by_type.items()},
        "folds": folds,
    }
    return markdown, metrics


def run(data_dir: Path) -> Result:
    folder = data_dir / "events"
    if not (folder / GSR_FILE).is_file() or not (folder / PETR_FILE).is_file():
        return Result("events", "", skipped=f"{folder} does not hold {GSR_FILE} and {PETR_FILE}")
    gsr_md, gsr = _score("PLOVER gold-standard records", plover_gold(folder / GSR_FILE))
    petr_md, petr = _score("PETRARCH-2 validation records (CAMEO → PLOVER)", petrarch_gold(folder / PETR_FILE))
    return Result("events", f"{gsr_md}\n\n{petr_md}", {"plover_gsr": gsr, "petrarch2": petr})
