"""Global stages wait for the batches in flight, so their result does not depend on which batch finished first.

Per-batch stages (documents, articles, nlp_parses, entity_mentions, events) process the articles of their
run's batches, and runs over different batches may execute them at the same time (on a cluster, on
different workers). The global stages (near_duplicates, entities, event_corrections, stories) read
everything there is: near-duplicate grouping and story assignment are online (each article joins what came
before it), so grouping the articles of one batch and then those of another can differ from grouping
both together in their canonical order; the entity links the events and stories read follow from every
mention. So a global step begins only when no other run will still write what it reads: every run in flight
has written the per-batch assets the stage reads (PER_BATCH_INPUTS), and then the step processes all of it
at once, in canonical order. A run whose global step finds nothing left (another run's step did it) is
done at once. Two batches finishing in either order give the same rows.

A run in flight is one that has not ended (started, or queued before this one: a run queued after it has
written nothing yet, and waiting for it could wait for the very slot this run holds), or that failed and
will be retried by the daemon (run_retries); what a run (with the runs it retries) has materialized it has
written. Dead runs are reclaimed first (run_guard.py), so a killed run is not waited for.

Pending work no run in flight covers is adopted: an article of batch B can become pending again because of
another batch's run (a near-duplicate whose canonical member that run withdrew or outdated becomes canonical and
must be parsed; a parse that became a skip loses its mentions and events) or of a new model or coder version.
A per-batch stage then also processes the pending articles of every batch no other run in flight will still
process for it, provided no such run was created before it (so one run at a time adopts, the oldest): a run
over A leaves nothing of B undone for ever, and a run over all batches (`make run`) does what it always did.

The step waits by asking Dagster to retry it shortly (RetryRequested): between tries it holds neither the
writers' pool nor, on a cluster, a worker, so the runs it waits for can go on.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import dagster as dg
from dagster._core.storage.dagster_run import DagsterRunStatus, RunRecord, RunsFilter
from dagster._core.storage.tags import (
    ASSET_PARTITION_RANGE_END_TAG,
    ASSET_PARTITION_RANGE_START_TAG,
    PARENT_RUN_ID_TAG,
    PARTITION_NAME_TAG,
    ROOT_RUN_ID_TAG,
    WILL_RETRY_TAG,
)

from pipelines.defs.common import BATCHES
from pipelines.defs.run_guard import IN_FLIGHT, NOT_LAUNCHED, reclaim_dead_runs

PER_BATCH_ASSETS = ("documents", "articles", "nlp_parses", "entity_mentions", "events")
# The per-batch assets each global asset reads, directly or through the global assets before it.
PER_BATCH_INPUTS: Mapping[str, tuple[str, ...]] = {
    "near_duplicates": ("documents", "articles"),
    "entities": ("documents", "articles", "nlp_parses", "entity_mentions"),
    "event_corrections": PER_BATCH_ASSETS,
    "stories": PER_BATCH_ASSETS,
}
# A waiting step tries again after 1, 2, … seconds, at most every MAX_WAIT_SECONDS, for up to about an hour.
MAX_WAIT_SECONDS = 15
MAX_TRIES = 300


@dataclass(frozen=True)
class RunInFlight:
    """What the wait needs to know of another run."""

    run_id: str
    queued: bool  # not started yet
    root_created: float  # when the first run of its retries was created
    still_to_write: frozenset[str]  # per-batch assets it targets and has not materialized
    batches: frozenset[str] = frozenset()  # the batches (partitions) it runs over


def runs_to_wait_for(me_root_created: float, others: Iterable[RunInFlight], reads: Iterable[str]) -> list[str]:
    """The runs a global step that reads `reads` waits for: those that will still write one of them, among the
    started ones and those queued before this run."""
    wanted = set(reads)
    return [
        run.run_id
        for run in others
        if run.still_to_write & wanted and (not run.queued or run.root_created < me_root_created)
    ]


def adopted_batches(
    me_root_created: float, others: Iterable[RunInFlight], asset: str, mine: Iterable[str], batches: Iterable[str]
) -> list[str]:
    """The batches other than `mine` whose pending work the per-batch step `asset` of this run also does: every
    batch no other run still to write `asset` covers, when none of those runs was created before this one."""
    owners = [run for run in others if asset in run.still_to_write]
    if any(run.root_created < me_root_created for run in owners):
        return []
    taken = set(mine).union(*(run.batches for run in owners))
    return [key for key in batches if key not in taken]


def _batches_of(run: dg.DagsterRun) -> frozenset[str]:
    """The partitions a run covers: its partition, or its range of partitions; all of them when it says none."""
    keys = BATCHES.get_partition_keys()
    if (key := run.tags.get(PARTITION_NAME_TAG)) is not None:
        return frozenset([key])
    first, last = run.tags.get(ASSET_PARTITION_RANGE_START_TAG), run.tags.get(ASSET_PARTITION_RANGE_END_TAG)
    if first in keys and last in keys:
        return frozenset(keys[keys.index(first) : keys.index(last) + 1])
    return frozenset(keys)


def _root_created(instance: dg.DagsterInstance, record: RunRecord) -> float:
    root_id = record.dagster_run.tags.get(ROOT_RUN_ID_TAG)
    root = instance.get_run_record_by_id(root_id) if root_id else None
    return (root or record).create_timestamp.timestamp()


def _my_root_created(instance: dg.DagsterInstance, me: dg.DagsterRun) -> float:
    """When the first run of this run's retries was created (after every other run when it has no record)."""
    record = instance.get_run_record_by_id(me.run_id)
    return _root_created(instance, record) if record else float("inf")


def _targets(instance: dg.DagsterInstance, run: dg.DagsterRun) -> set[str]:
    """The per-batch assets a run executes: the steps of its plan (of a re-execution, those it re-executes)."""
    plan = (
        instance.get_execution_plan_snapshot(run.execution_plan_snapshot_id) if run.execution_plan_snapshot_id else None
    )
    steps = {step.key for step in plan.steps} if plan else set(PER_BATCH_ASSETS)
    if run.step_keys_to_execute is not None:
        steps &= set(run.step_keys_to_execute)
    return steps & set(PER_BATCH_ASSETS)


def _materialized(instance: dg.DagsterInstance, record: RunRecord) -> set[str]:
    """Assets materialized by the run and the runs it retries (a re-execution skips what they did). The event
    log answers with the distinct asset keys, without reading the events: every waiting step asks this of
    every run in flight at each try, and a run over many batches has one event per asset and batch."""
    done: set[str] = set()
    run_id: str | None = record.dagster_run.run_id
    while run_id:
        keys = instance.get_asset_keys_for_run(run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION)
        done.update(key.to_user_string() for key in keys)
        parent = instance.get_run_by_id(run_id)
        run_id = parent.tags.get(PARENT_RUN_ID_TAG) if parent else None
    return done


def _in_flight(instance: dg.DagsterInstance, me: dg.DagsterRun) -> list[RunInFlight]:
    records = list(instance.get_run_records(RunsFilter(statuses=list(IN_FLIGHT))))
    retried = RunsFilter(statuses=[DagsterRunStatus.FAILURE], tags={WILL_RETRY_TAG: "true"})
    for failed in instance.get_run_records(retried):
        if not instance.get_run_records(RunsFilter(tags={PARENT_RUN_ID_TAG: failed.dagster_run.run_id}), limit=1):
            records.append(failed)  # its retry is not created yet
    mine = {me.run_id, me.tags.get(ROOT_RUN_ID_TAG)}
    runs = []
    for record in records:
        run = record.dagster_run
        if run.run_id in mine or run.tags.get(ROOT_RUN_ID_TAG) in mine - {None}:
            continue
        targets = _targets(instance, run)
        still = frozenset(targets - _materialized(instance, record)) if targets else frozenset()
        runs.append(
            RunInFlight(
                run.run_id, run.status in NOT_LAUNCHED, _root_created(instance, record), still, _batches_of(run)
            )
        )
    return runs


def wait_for_batches_in_flight(context: dg.AssetExecutionContext, asset: str) -> None:
    """Return when no other run will still write what the global `asset` reads; else have Dagster retry the
    step a little later (raises RetryRequested)."""
    instance = context.instance
    for message in reclaim_dead_runs(instance):
        context.log.warning(message)
    me_created = _my_root_created(instance, context.run)
    waiting = runs_to_wait_for(me_created, _in_flight(instance, context.run), PER_BATCH_INPUTS[asset])
    if not waiting:
        return
    tries = context.retry_number
    context.log.info(
        f"{asset} waits for run(s) {', '.join(waiting)} to write {', '.join(PER_BATCH_INPUTS[asset])} "
        f"of their batches, so that it sees them all at once (try {tries + 1})"
    )
    raise dg.RetryRequested(max_retries=MAX_TRIES, seconds_to_wait=min(MAX_WAIT_SECONDS, 1 + tries))


def batches_to_adopt(context: dg.AssetExecutionContext, asset: str) -> list[str]:
    """The batches beyond the run's own whose pending work the per-batch step `asset` also does (see above)."""
    instance = context.instance
    me_created = _my_root_created(instance, context.run)
    adopted = adopted_batches(
        me_created, _in_flight(instance, context.run), asset, context.partition_keys, BATCHES.get_partition_keys()
    )
    if adopted:
        context.log.debug(f"{asset} also does the pending work of {len(adopted)} batches no run in flight covers")
    return adopted
