"""NLP stage: parse the batch's English articles once (spaCy) and store the parse; skip other languages."""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.core.nlp.model import nlp_version
from pipelines.core.nlp.parse import parse_texts
from pipelines.core.stages.report import StageReport
from pipelines.core.warehouse import Session, utcnow

# Articles per transaction: bounded memory, and a crash loses at most one chunk of parsing.
CHUNK_SIZE = 512
ENGLISH = "en"


def parse_pending_articles(
    session: Session, batch_keys: Iterable[str], run_id: str, processes: int | None = None, chunk_size: int = CHUNK_SIZE
) -> StageReport:
    keys = sorted(set(batch_keys))
    report = StageReport("nlp", keys, run_id)
    version = nlp_version()
    while True:
        pending = session.rows("pending_nlp", batch_keys=keys, version=version, limit=chunk_size)
        if not pending:
            break
        now = utcnow()
        rows = [
            {
                "article_id": a["article_id"],
                "text_hash": a["text_hash"],
                "nlp_version": version,
                "status": "skipped",
                "reason": f"language is {a['language']!r}: NLP runs on English articles only",
                "parsed_at": now,
            }
            for a in pending
            if a["language"] != ENGLISH
        ]
        english = {a["article_id"]: a for a in pending if a["language"] == ENGLISH}
        for parsed in parse_texts([(k, a["text"]) for k, a in english.items()], processes):
            rows.append(
                {
                    "article_id": parsed.key,
                    "text_hash": english[parsed.key]["text_hash"],
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
        with session.transaction():
            session.upsert("article_nlp", rows, ["article_id"])
            session.bump_data_version("nlp")
        report.rows_in += len(pending)
        report.new += len(english)
        report.duplicate += len(pending) - len(english)
        if len(pending) < chunk_size:
            break
    report.details["skipped_not_english"] = report.duplicate
    report.details["nlp_version"] = version
    return report.finish(session)
