"""Asset checks that count violations with a named warehouse statement (0 = passed), each defined once:
the same object gives Dagster its spec and, after the stage ran, its result."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import dagster as dg

from pipelines.core.warehouse import Session


@dataclass(frozen=True)
class CountCheck:
    asset: str
    name: str
    statement: str  # warehouse/statements/<statement>.sql, returning the number of violations
    description: str

    def spec(self) -> dg.AssetCheckSpec:
        return dg.AssetCheckSpec(self.name, asset=self.asset, blocking=True, description=self.description)

    def result(self, session: Session, **params: Any) -> dg.AssetCheckResult:
        bad = int(session.scalar(self.statement, **params) or 0)
        return dg.AssetCheckResult(
            asset_key=self.asset,
            check_name=self.name,
            passed=bad == 0,
            metadata={"violations": bad},
            description=self.description,
        )
