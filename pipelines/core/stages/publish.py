"""Publish stage: refresh the full-text index if articles changed, then replace news.duckdb atomically."""

from __future__ import annotations

from collections.abc import Iterable

from pipelines.core.stages.report import StageReport
from pipelines.core.warehouse import Session, Warehouse


def publish_warehouse(warehouse: Warehouse, session: Session, batch_keys: Iterable[str], run_id: str) -> StageReport:
    report = StageReport("publish", sorted(set(batch_keys)), run_id)
    articles_version = session.meta("articles_version", "0")
    if session.meta("fts_articles_version") != articles_version:
        session.load_fts()
        session.run("build_fts")
        session.set_meta("fts_articles_version", articles_version or "0")
        report.details["fts_rebuilt"] = True
    # Record the stage first, so the published copy holds its own pipeline_runs row.
    report.finish(session)
    result = warehouse.publish(session)
    report.new = int(result.published)
    report.details.update(
        path=str(result.path),
        published=result.published,
        data_version=result.data_version,
        size_bytes=result.size_bytes,
        copy_seconds=round(result.seconds, 3),
    )
    return report
