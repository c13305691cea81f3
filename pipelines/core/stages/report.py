"""What a stage did, recorded in pipeline_runs and shown as Dagster materialization metadata."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from pipelines.core.ids import stable_id
from pipelines.core.storage import Session, utcnow


@dataclass
class StageReport:
    stage: str
    batch_keys: list[str]
    run_id: str
    started_at: datetime = field(default_factory=utcnow)
    rows_in: int = 0
    new: int = 0
    updated: int = 0
    duplicate: int = 0
    rejected: int = 0
    seconds: float = 0.0
    preview: list[dict[str, Any]] = field(default_factory=list)
    details: dict[str, Any] = field(default_factory=dict)
    _clock: float = field(default_factory=time.monotonic, repr=False)

    def finish(self, session: Session) -> StageReport:
        """Stop the clock and record the stage in pipeline_runs (replacing a retried step's row)."""
        self.seconds = round(time.monotonic() - self._clock, 3)
        session.upsert(
            "pipeline_runs",
            [
                {
                    "run_id": self.run_id,
                    "stage": self.stage,
                    "batch_keys": self.batch_keys,
                    "started_at": self.started_at,
                    "finished_at": utcnow(),
                    "seconds": self.seconds,
                    "rows_in": self.rows_in,
                    "rows_new": self.new,
                    "rows_updated": self.updated,
                    "rows_duplicate": self.duplicate,
                    "rows_rejected": self.rejected,
                }
            ],
            ["run_id", "stage"],
        )
        return self


def reject_row(
    document_id: str, batch_key: str, stage: str, reason: str, uri: str, run_id: str, code_version: str | None = None
) -> dict[str, Any]:
    """A rejects row; its id depends on document and stage only, so a re-run replaces it."""
    return {
        "reject_id": stable_id("reject", document_id, stage),
        "document_id": document_id,
        "batch_key": batch_key,
        "stage": stage,
        "reason": reason,
        "uri": uri,
        "rejected_at": utcnow(),
        "run_id": run_id,
        "code_version": code_version,
    }
