"""Asset checks backed by a warehouse statement that counts violations (0 = passed)."""

import dagster as dg

from pipelines.core.warehouse import Session


def count_check(session: Session, asset: str, name: str, statement: str, description: str) -> dg.AssetCheckResult:
    bad = int(session.scalar(statement) or 0)
    return dg.AssetCheckResult(
        asset_key=asset,
        check_name=name,
        passed=bad == 0,
        metadata={"violations": bad},
        description=description,
    )
