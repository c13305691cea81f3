"""Articles stage: pending documents of the given batches become articles (or rejects).

Works through the pending documents in chunks, each chunk one transaction, so a crash loses at most
the chunk in flight and the next run resumes where this one stopped.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from pipelines.core.articles import (
    CLEANER_VERSION,
    CleanArticle,
    DocumentIn,
    Existing,
    Rejection,
    build_article,
    resolve_identities,
)
from pipelines.core.nlp.parse import warm_up
from pipelines.core.stages.report import StageReport, reject_row
from pipelines.core.storage import Session, utcnow
from pipelines.core.workers import map_chunks, prepare

CHUNK_SIZE = 500
PREVIEW_ROWS = 10


def _build(doc: DocumentIn, now: datetime) -> CleanArticle | Rejection:
    """build_article, with an unexpected exception turned into a reject: one odd document must not
    stop a batch of thousands (the reason says it is a bug to report, with the document id)."""
    try:
        return build_article(doc, now)
    except Exception as exc:
        return Rejection(
            doc.document_id,
            "clean",
            f"internal error ({type(exc).__name__}: {exc}); please report it with document {doc.document_id}",
        )


def _build_chunk(items: Sequence[tuple[DocumentIn, datetime]]) -> list[CleanArticle | Rejection]:
    """Build a chunk of documents (in a worker process for large batches)."""
    return [_build(doc, now) for doc, now in items]


def clean_pending_documents(
    session: Session, batch_keys: Iterable[str], run_id: str, chunk_size: int = CHUNK_SIZE
) -> StageReport:
    keys = sorted(set(batch_keys))
    report = StageReport("articles", keys, run_id)
    written: list[str] = []
    while True:
        pending = session.query("pending_documents", batch_keys=keys, limit=chunk_size, version=CLEANER_VERSION)
        if not pending:
            break
        now = utcnow()
        docs = {row["document_id"]: row for row in pending}
        probe = [{"document_id": row["document_id"]} for row in pending]
        raw = {r["document_id"]: r["raw"] for r in session.query_with("raw_for", probe)}
        outcomes = list(
            map_chunks(_build_chunk, [(DocumentIn(**row, raw=raw[row["document_id"]]), now) for row in pending])
        )
        cleaned = [o for o in outcomes if isinstance(o, CleanArticle)]
        rejections = [o for o in outcomes if isinstance(o, Rejection)]
        existing = (
            [
                Existing(**row)
                for row in session.query_with(
                    "existing_articles_for",
                    [{"article_id": a.article_id, "text_hash": a.text_hash} for a in cleaned],
                )
            ]
            if cleaned
            else []
        )
        decisions = resolve_identities(cleaned, existing, now, {d: row["fetched_at"] for d, row in docs.items()})

        articles: dict[str, dict[str, Any]] = {}
        links: list[dict[str, Any]] = []
        for decision in decisions:
            links.append(
                {
                    "document_id": decision.article.document_id,
                    "article_id": decision.article_id,
                    "relation": decision.relation,
                    "batch_key": docs[decision.article.document_id]["batch_key"],
                    "cleaner_version": CLEANER_VERSION,
                    "processed_at": now,
                }
            )
            if decision.writes_article:
                articles[decision.article_id] = {
                    **decision.article.row,
                    "article_id": decision.article_id,
                    "cleaner_version": CLEANER_VERSION,
                    "first_seen_at": decision.first_seen_at,
                    "updated_at": now,
                }
            report.new += decision.relation == "new"
            report.updated += decision.relation == "updated"
            report.duplicate += decision.relation in ("same_source", "same_text")
        rejects = [
            reject_row(
                r.document_id,
                docs[r.document_id]["batch_key"],
                r.stage,
                r.reason,
                docs[r.document_id]["uri"],
                run_id,
                CLEANER_VERSION,
            )
            for r in rejections
        ]
        with session.transaction():
            session.write_with("forget_outcomes", [{"document_id": d} for d in docs])
            session.upsert("articles_base", list(articles.values()), ["article_id"])
            if articles:
                session.write_with("restore_articles", [{"article_id": a} for a in articles])
            session.upsert("document_articles", links, ["document_id"])
            session.upsert("rejects", rejects, ["reject_id"])
            session.bump_data_version("articles" if articles else "documents")
        report.rows_in += len(pending)
        report.rejected += len(rejections)
        written.extend(articles)
        if len(pending) < chunk_size:
            break
    if written:
        # The new articles are parsed next; while near-duplicate grouping runs here alone, fresh workers
        # replace the ones that cleaned them (if the batch was large enough for workers) and load the model.
        prepare(warm_up)
        report.preview = session.query_with("preview_new_articles", [{"article_id": a} for a in written[:200]])[
            :PREVIEW_ROWS
        ]
    report.details["rejects_by_stage"] = _count_by_stage(report, session, run_id)
    report.details["withdrawn"] = withdraw_orphan_articles(session, keys, run_id)
    return report.finish(session)


def withdraw_orphan_articles(session: Session, batch_keys: list[str], run_id: str) -> int:
    """Withdraw the articles of the batches none of whose documents their sources still hold (a deleted seed
    file, a .jsonl line gone): after this stage, so that a document that moved (a line shifted down its file)
    has already been matched to its article again. Returns how many."""
    orphans = session.query("orphan_articles", batch_keys=batch_keys)
    if orphans:
        with session.transaction():
            session.write_with("record_withdrawn_articles", orphans, now=utcnow(), run_id=run_id)
            session.write_with("withdraw_articles", orphans)
            session.bump_data_version("articles")
    return len(orphans)


def _count_by_stage(report: StageReport, session: Session, run_id: str) -> dict[str, int]:
    if not report.rejected:
        return {}
    return {row["stage"]: row["n"] for row in session.query("rejects_by_stage_for_run", run_id=run_id)}
