"""NLP stage: parse each English article once (spaCy) and store the parse; skip other languages, and
near-duplicate copies of a report whose canonical member is parsed.

Copies add model time and nothing an analyst counts: their entities and events would double-count the
report (GDELT's best-known flaw). Work is found by state, among the articles of the run's batches (see
pending_nlp.sql)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from spacy.tokens import Doc

from pipelines.core.nlp import products
from pipelines.core.nlp.model import nlp_version
from pipelines.core.nlp.parse import deserialize_doc, parse_texts, reading_vocab
from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, utcnow
from pipelines.core.workers import PENDING_ROUND

# Articles per transaction: bounded memory, and a crash loses at most one chunk of parsing.
CHUNK_SIZE = 512


def _skip_reason(article: dict[str, Any]) -> str:
    if article["skip"] == "copy":
        return f"near-duplicate copy of {article['canonical_article_id']}, which is parsed instead"
    return f"language is {article['language']!r}: NLP runs on English articles only"


def parse_pending_articles(
    session: Session,
    batch_keys: Iterable[str],
    run_id: str,
    processes: int | None = None,
    chunk_size: int = CHUNK_SIZE,
    adopted: Iterable[str] = (),
) -> StageReport:
    """Parse the pending articles of the run's batches and of the `adopted` ones: batches whose pending work
    no run in flight will do (pipelines/defs/ordering.py), e.g. a copy another batch's run made canonical."""
    keys = sorted(set(batch_keys))
    report = StageReport("nlp", keys, run_id)
    version = nlp_version()
    _parse_all(session, sorted(set(keys) | set(adopted)), processes, version, chunk_size, report)
    report.details["skipped"] = report.duplicate
    report.details["nlp_version"] = version
    return report.finish(session)


def headline(article: dict[str, Any]) -> str | None:
    """The article's own headline (a title made from its first sentence is not one)."""
    return None if article["title_source"] == "first_sentence" else article["title"]


def stored_docs(session: Session, article_ids: Iterable[str]) -> Iterator[tuple[str, Doc]]:
    """(article id, Doc) from the stored parses of these articles, for stages that find nothing in the
    parsing workers' products (pipelines.core.nlp.products): a later run, another process."""
    probe = [{"article_id": a} for a in article_ids]
    if not probe:
        return
    vocab = reading_vocab()
    for row in session.query_with("docbins_for", probe):
        yield row["article_id"], deserialize_doc(vocab, row["docbin"])


def _parse_all(
    session: Session, keys: list[str], processes: int | None, version: str, chunk_size: int, report: StageReport
) -> None:
    while True:
        pending = session.query("pending_nlp", batch_keys=keys, version=version, limit=PENDING_ROUND)
        _parse_round(session, pending, processes, version, chunk_size, report)
        if len(pending) < PENDING_ROUND:
            break


def _parse_round(
    session: Session,
    pending: list[dict[str, Any]],
    processes: int | None,
    version: str,
    chunk_size: int,
    report: StageReport,
) -> None:
    """Parse the English articles of `pending` and mark the rest skipped, writing every `chunk_size`
    results; texts are read chunk by chunk as the workers need them, so the pool never waits for a
    write or a read and parsing is one stream from the first article to the last."""
    now = utcnow()
    rows = [
        {
            "article_id": a["article_id"],
            "text_hash": a["text_hash"],
            "nlp_version": version,
            "status": "skipped",
            "reason": _skip_reason(a),
            "parsed_at": now,
        }
        for a in pending
        if a["skip"]
    ]
    english = {a["article_id"]: a for a in pending if not a["skip"]}

    def texts() -> Iterator[tuple[str, str, str | None]]:
        ids = list(english)
        for start in range(0, len(ids), chunk_size):
            probe = [{"article_id": k} for k in ids[start : start + chunk_size]]
            found = session.query_with("texts_for", probe)
            yield from sorted((t["article_id"], t["text"], headline(t)) for t in found)

    for parsed in parse_texts(texts(), processes, total=len(english)):
        text_hash = english[parsed.key]["text_hash"]
        products.keep(parsed.key, text_hash, version, parsed.products)
        rows.append(
            {
                "article_id": parsed.key,
                "text_hash": text_hash,
                "nlp_version": version,
                "status": "parsed",
                "reason": None,
                "sentences": parsed.sentences,
                "tokens": parsed.tokens,
                "docbin": parsed.docbin,
                "parsed_at": now,
            }
        )
        report.details["tokens"] = report.details.get("tokens", 0) + parsed.tokens
        if len(rows) >= chunk_size:
            _write(session, rows)
            rows = []
    _write(session, rows)
    report.rows_in += len(pending)
    report.new += len(english)
    report.duplicate += len(pending) - len(english)


def _write(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        with session.transaction():
            session.upsert("article_nlp", rows, ["article_id"])
            session.bump_data_version("nlp")
