"""Asset checks that count violations with a named warehouse statement (0 = passed), each defined once:
the same object gives Dagster its spec and, after the stage ran, its result."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import dagster as dg

from pipelines.core.storage import Session

_EXAMPLES = 10  # violating rows a failed listed check names


@dataclass(frozen=True)
class CountCheck:
    asset: str
    name: str
    statement: str  # warehouse/statements/<statement>.sql: the number of violations, or the rows (listed=True)
    description: str
    # The statement takes $batch_keys: the check is about the partitions the step materialized, because
    # another process may be half-way through other batches (a global count would fail spuriously).
    per_batch: bool = False
    # The statement returns one row per violation: a failure then names the first ones (in the check's
    # metadata and the run's log), so whoever reads a failed run sees which rows are wrong, not only how many.
    listed: bool = False

    def spec(self) -> dg.AssetCheckSpec:
        return dg.AssetCheckSpec(self.name, asset=self.asset, blocking=True, description=self.description)

    def result(self, session: Session, batch_keys: Sequence[str] = (), **params: Any) -> dg.AssetCheckResult:
        if self.per_batch:
            params["batch_keys"] = list(batch_keys)
        metadata: dict[str, Any] = {}
        if self.listed:
            rows = session.query(self.statement, **params)
            bad = len(rows)
            if rows:
                examples = [{k: str(v) for k, v in row.items()} for row in rows[:_EXAMPLES]]
                metadata["examples"] = dg.MetadataValue.json(examples)
                dg.get_dagster_logger().error(
                    f"check {self.asset}:{self.name} failed with {bad} violation(s); the first: {examples}"
                )
        else:
            bad = int(session.scalar(self.statement, **params) or 0)
        return dg.AssetCheckResult(
            asset_key=self.asset,
            check_name=self.name,
            passed=bad == 0,
            metadata={"violations": bad, **metadata},
            description=self.description,
        )
