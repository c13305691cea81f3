"""Asset checks that count violations with a named warehouse statement (0 = passed)."""

from __future__ import annotations

from typing import Any

import dagster as dg

from pipelines.core.warehouse import Session


def count_check(
    session: Session, asset: str, name: str, statement: str, description: str, **params: Any
) -> dg.AssetCheckResult:
    """Run `statement` (a count of violations) and report it as check `name` of `asset`."""
    bad = int(session.scalar(statement, **params) or 0)
    return dg.AssetCheckResult(
        asset_key=asset,
        check_name=name,
        passed=bad == 0,
        metadata={"violations": bad},
        description=description,
    )
