"""StageReport → Dagster materialization metadata (counts, timings, a Markdown preview)."""

from __future__ import annotations

from typing import Any

import dagster as dg

from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session


def markdown_table(rows: list[dict[str, Any]]) -> str:
    if not rows:
        return "_nothing new_"
    columns = list(rows[0])
    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    for row in rows:
        cells = [
            str(row[c] if row[c] is not None else "").replace("|", "\\|").replace("\n", " ")[:120] for c in columns
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def report_metadata(report: StageReport) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "batches": ", ".join(report.batch_keys),
        "rows_in": report.rows_in,
        "new": report.new,
        "updated": report.updated,
        "duplicates": report.duplicate,
        "rejected": report.rejected,
        "seconds": dg.MetadataValue.float(report.seconds),
    }
    if report.preview:
        meta["preview"] = dg.MetadataValue.md(markdown_table(report.preview))
    for key, value in report.details.items():
        if isinstance(value, dict):
            meta[key] = dg.MetadataValue.json(value)
        elif isinstance(value, bool | int | float | str):
            meta[key] = value
    return meta


def merged_metadata(reports: list[StageReport]) -> dict[str, Any]:
    """Metadata of one materialization made by several stages (seed folder and feeds in one run): the
    first stage's keys as they are, the others' prefixed with their stage name."""
    meta: dict[str, Any] = {}
    for index, report in enumerate(reports):
        prefix = f"{report.stage} " if index else ""
        meta.update({prefix + key: value for key, value in report_metadata(report).items()})
    return meta


def table_total(session: Session, table: str) -> dict[str, Any]:
    """How many rows the asset's table holds after the step (next to "new": what this step added), also as
    Dagster's standard row count, which the UI shows on the asset and plots over materializations."""
    total = session.count(table)
    return {"total": total, "dagster/row_count": dg.MetadataValue.int(total)}
