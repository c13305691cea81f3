"""Which runs a global step waits for (pipelines/defs/ordering.py): those that will still write what it reads."""

from __future__ import annotations

import logging
import time
import uuid

import dagster as dg
import pytest
from dagster._core.events import StepMaterializationData
from dagster._core.storage.tags import PARENT_RUN_ID_TAG, ROOT_RUN_ID_TAG

from pipelines.defs.ordering import (
    PER_BATCH_INPUTS,
    RunInFlight,
    _materialized,
    adopted_batches,
    runs_to_wait_for,
)

ME = 100.0  # when this run (the first of its retries) was created


def _run(run_id: str, queued: bool, created: float, *still: str) -> RunInFlight:
    return RunInFlight(run_id, queued, created, frozenset(still))


RUNS = [
    _run("started-cleaning", False, 200.0, "articles", "nlp_parses", "entity_mentions", "events"),
    _run("started-all-written", False, 50.0),
    _run("queued-before", True, 90.0, "documents", "articles"),
    _run("queued-after", True, 110.0, "documents", "articles"),
    _run("started-coding", False, 10.0, "events"),
]


def test_near_duplicates_waits_for_runs_still_to_clean_started_or_queued_before_it() -> None:
    waiting = runs_to_wait_for(ME, RUNS, PER_BATCH_INPUTS["near_duplicates"])
    # A run queued after this one has written nothing: waiting for it could wait for the slot this run holds.
    assert waiting == ["started-cleaning", "queued-before"]


def test_stories_waits_for_every_per_batch_stage_of_those_runs() -> None:
    waiting = runs_to_wait_for(ME, RUNS, PER_BATCH_INPUTS["stories"])
    assert waiting == ["started-cleaning", "queued-before", "started-coding"]


def test_nothing_to_wait_for_when_every_run_has_written() -> None:
    assert runs_to_wait_for(ME, [_run("done", False, 1.0), _run("later", True, 500.0, "articles")], ["articles"]) == []


def _owner(run_id: str, created: float, batches: set[str], *still: str) -> RunInFlight:
    return RunInFlight(run_id, False, created, frozenset(still), frozenset(batches))


BATCHES = ["a", "b", "c", "d"]


def test_a_run_alone_adopts_every_other_batchs_pending_work() -> None:
    assert adopted_batches(ME, [], "nlp_parses", ["a"], BATCHES) == ["b", "c", "d"]
    # A run that has parsed already covers nothing any more.
    assert adopted_batches(ME, [_owner("old", 1.0, {"b"}, "events")], "nlp_parses", ["a"], BATCHES) == ["b", "c", "d"]


def test_batches_a_later_run_will_still_process_are_left_to_it() -> None:
    later = _owner("later", 200.0, {"b", "c"}, "nlp_parses", "events")
    assert adopted_batches(ME, [later], "nlp_parses", ["a"], BATCHES) == ["d"]


def test_only_the_oldest_run_still_to_process_adopts() -> None:
    # Two runs adopting at once would do the same work twice (and conflict on the lake).
    older = _owner("older", 50.0, {"c"}, "entity_mentions")
    assert adopted_batches(ME, [older], "entity_mentions", ["a"], BATCHES) == []
    assert adopted_batches(ME, [older], "nlp_parses", ["a"], BATCHES) == ["b", "c", "d"]


def test_what_a_run_and_the_runs_it_retries_materialized_is_read_without_reading_events(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each waiting step asks this of every run in flight at every try: the event log's index answers it."""
    with dg.instance_for_test() as instance:
        first = _run_that_materialized(instance, {}, "documents", "articles")
        retry = _run_that_materialized(instance, {PARENT_RUN_ID_TAG: first, ROOT_RUN_ID_TAG: first}, "nlp_parses")
        read: list[str] = []
        storage = instance.event_log_storage
        records_for_run = storage.get_records_for_run

        def counting(run_id: str, *args, **kwargs):
            read.append(run_id)
            return records_for_run(run_id, *args, **kwargs)

        monkeypatch.setattr(storage, "get_records_for_run", counting)
        record = instance.get_run_record_by_id(retry)
        assert record is not None
        assert _materialized(instance, record) == {"documents", "articles", "nlp_parses"}
        assert read == []


def _run_that_materialized(instance: dg.DagsterInstance, tags: dict[str, str], *assets: str) -> str:
    """A run whose log holds a materialization of each asset for two batches; returns its id."""
    run = dg.DagsterRun(job_name="ingest", run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.STARTED, tags=tags)
    instance.add_run(run)
    for asset in assets:
        for batch in ("seeds-00", "seeds-01"):
            materialization = dg.AssetMaterialization(asset, partition=batch)
            event = dg.DagsterEvent(
                dg.DagsterEventType.ASSET_MATERIALIZATION.value,
                job_name="ingest",
                event_specific_data=StepMaterializationData(materialization),
            )
            instance.store_event(
                dg.EventLogEntry(
                    error_info=None,
                    level=logging.INFO,
                    user_message="",
                    run_id=run.run_id,
                    timestamp=time.time(),
                    dagster_event=event,
                )
            )
    return run.run_id
