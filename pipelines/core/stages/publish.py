"""Publish stage: bring the full-text index up to date with the articles, then publish (news.duckdb, or the
lake's snapshot)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, Storage

# Articles indexed per statement, and characters: the index statement's memory follows the terms of its
# chunk, so a chunk of long reads is cut short (a single longer article is still indexed alone).
SEARCH_CHUNK = 500
SEARCH_CHUNK_CHARS = 2_000_000
# Bump when search_tokens() (views.sql) splits or stems differently: postings made by the old tokenizer
# would no longer match queries, so the whole index is rebuilt once.
SEARCH_INDEX_VERSION = "2"  # 2: every script (CJK pieces, Cyrillic/Greek/Arabic stems), not only a-z


def _chunks(pending: list[dict[str, object]]) -> Iterator[list[dict[str, object]]]:
    """Consecutive runs of `pending` within SEARCH_CHUNK_CHARS characters (at least one article each)."""
    chunk: list[dict[str, object]] = []
    chars = 0
    for row in pending:
        size = int(row["chars"] or 0)
        if chunk and chars + size > SEARCH_CHUNK_CHARS:
            yield chunk
            chunk, chars = [], 0
        chunk.append({"article_id": row["article_id"]})
        chars += size
    if chunk:
        yield chunk


def index_pending_articles(session: Session) -> int:
    """(Re)index new and edited articles; the cost follows the number of changed articles, not history."""
    if session.meta("search_index_version") != SEARCH_INDEX_VERSION:
        with session.transaction():
            session.write("forget_search_index")
            session.set_meta("search_index_version", SEARCH_INDEX_VERSION)
    indexed = 0
    while pending := session.query("pending_search", limit=SEARCH_CHUNK):
        for chunk in _chunks(pending):
            with session.transaction():
                session.write_with("index_search", chunk)
                session.bump_data_version("search")
            indexed += len(chunk)
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
