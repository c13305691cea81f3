"""Asset checks that count violations with a named warehouse statement (0 means the check passed)."""

from __future__ import annotations

import dagster as dg

from pipelines.core.warehouse import Session


def violations_check(
    session: Session, asset: str, name: str, statement: str, description: str, **params: object
) -> dg.AssetCheckResult:
    bad = int(session.scalar(statement, **params) or 0)
    return dg.AssetCheckResult(
        asset_key=asset,
        check_name=name,
        passed=bad == 0,
        metadata={"violations": bad},
        description=description,
    )
