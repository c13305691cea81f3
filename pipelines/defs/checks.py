"""Asset checks backed by a warehouse statement that counts violations (0 = passed)."""

import dagster as dg

from pipelines.core.warehouse import Session


def count_check(
    session: Session, asset: str, name: str, statement: str, description: str, **params: object
) -> dg.AssetCheckResult:
    """Run `statement` (with `params`, e.g. the run's batch_keys) and pass when it counts 0 violations."""
    bad = int(session.scalar(statement, **params) or 0)
    return dg.AssetCheckResult(
        asset_key=asset,
        check_name=name,
        passed=bad == 0,
        metadata={"violations": bad},
        description=description,
    )
