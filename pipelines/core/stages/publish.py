"""Publish stage: bring the full-text index up to date with the articles, then publish (news.duckdb, or the
lake's snapshot)."""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, Storage

# Articles indexed per statement: bounded memory for the token table on large backfills.
SEARCH_CHUNK = 500


def index_pending_articles(session: Session) -> int:
    """(Re)index new and edited articles; the cost follows the number of changed articles, not history."""
    indexed = 0
    while pending := session.query("pending_search", limit=SEARCH_CHUNK):
        with session.transaction():
            session.write_with("index_search", pending)
            session.bump_data_version("search")
        indexed += len(pending)
        if len(pending) < SEARCH_CHUNK:
            break
    return indexed


def publish_warehouse(warehouse: Storage, session: Session, batch_keys: Iterable[str], run_id: str) -> StageReport:
    report = StageReport("publish", sorted(set(batch_keys)), run_id)
    report.details["search_indexed"] = index_pending_articles(session)
    # Record the stage first, so the published copy holds its own pipeline_runs row.
    report.finish(session)
    result = warehouse.publish(session, force=warehouse.schema_unpublished(session))
    report.new = int(result.published)
    report.details.update(
        path=result.location,
        published=result.published,
        publish_mode=result.mode,
        data_version=result.data_version,
        size_bytes=result.size_bytes,
        copy_seconds=round(result.seconds, 3),
    )
    # Again, now with the publish itself in `seconds` (the working file's row; the published copy holds
    # the first one until the next publish).
    return report.finish(session)
