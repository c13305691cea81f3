"""Publish stage: bring the full-text index up to date with the articles, then publish news.duckdb."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import duckdb

from pipelines.core.stages.report import StageReport
from pipelines.core.warehouse import Session, Warehouse

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
            session.run("forget_search_index")
            session.set_meta("search_index_version", SEARCH_INDEX_VERSION)
    indexed = 0
    while pending := session.rows("pending_search", limit=SEARCH_CHUNK):
        for chunk in _chunks(pending):
            with session.transaction():
                session.with_rows("probe", chunk, "index_search")
                session.bump_data_version("search")
            indexed += len(chunk)
        if len(pending) < SEARCH_CHUNK:
            break
    return indexed


def schema_unpublished(warehouse: Warehouse, session: Session) -> bool:
    """Whether the working file has views or migrations the published file lacks. Applying them changes no
    data, so the data version does not tell: a release that only adds views would otherwise reach
    analysts with the next new article, not with the next run."""
    if not warehouse.published_path.exists():
        return False  # the first publish happens anyway
    try:
        con = warehouse.read_published()
    except duckdb.Error:
        return True  # damaged or replaced by something else: publishing again repairs it
    try:
        published = Session(con)
        return published.meta("views_checksum") != session.meta("views_checksum") or published.scalar(
            "schema_version"
        ) != session.scalar("schema_version")
    finally:
        con.close()


def publish_warehouse(warehouse: Warehouse, session: Session, batch_keys: Iterable[str], run_id: str) -> StageReport:
    report = StageReport("publish", sorted(set(batch_keys)), run_id)
    report.details["search_indexed"] = index_pending_articles(session)
    # Record the stage first, so the published copy holds its own pipeline_runs row.
    report.finish(session)
    result = warehouse.publish(session, force=schema_unpublished(warehouse, session))
    report.new = int(result.published)
    report.details.update(
        path=str(result.path),
        published=result.published,
        publish_mode=result.mode,
        data_version=result.data_version,
        size_bytes=result.size_bytes,
        copy_seconds=round(result.seconds, 3),
    )
    # Again, now with the publish itself in `seconds` (the working file's row; the published copy holds
    # the first one until the next publish).
    return report.finish(session)
