"""A fix to the pinned Dagster that every run needs: a step waiting for a pool slot must not spin a core.

When a step cannot claim a slot of its pool (here `duckdb_writer`, while another run writes), Dagster
schedules the next claim after a back-off and the executor sleeps until then. But
`InstanceConcurrencyContext.interval_to_next_pending_claim_check` returns `min(0, …)`, never more than 0,
so the executor never sleeps: a run waiting behind another spun ~75% of a core for as long as it waited,
slowing the very run it waited for. Upstream noticed (dagster-io/dagster#20367, closed unmerged); 1.13.27
still has it. The replacement returns the time to the earliest pending check, as intended.
"""

from __future__ import annotations

import time

from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext


def _interval_to_next_pending_claim_check(self: InstanceConcurrencyContext) -> float:
    timeouts = self._pending_timeouts.values()
    if not self._pending_claims or not timeouts:
        return 0.0
    return max(0.0, min(timeouts) - time.time())


def apply() -> None:
    InstanceConcurrencyContext.interval_to_next_pending_claim_check = _interval_to_next_pending_claim_check
