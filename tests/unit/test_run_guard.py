"""Runs whose process died give their writer-pool slot back; a waiting run names who it waits for and
sleeps while it waits (pipelines/defs/run_guard.py, pipelines/defs/dagster_fix.py)."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import uuid
from collections.abc import Iterator

import dagster as dg
import pytest
from dagster._core.execution.plan.instance_concurrency_context import InstanceConcurrencyContext

from pipelines.defs import dagster_fix
from pipelines.defs.common import WRITER_POOL
from pipelines.defs.run_guard import (
    HOST_TAG,
    PID_TAG,
    STARTED_TAG,
    RunWatcher,
    process_alive,
    process_tags,
    reclaim_dead_runs,
)


@pytest.fixture
def instance() -> Iterator[dg.DagsterInstance]:
    with dg.instance_for_test() as instance:
        instance.event_log_storage.set_concurrency_slots(WRITER_POOL, 1)
        yield instance


def _dead_pid() -> int:
    child = subprocess.Popen(["sleep", "60"])
    child.kill()
    child.wait()
    return child.pid


def _run(instance: dg.DagsterInstance, tags: dict[str, str], step: str | None = None) -> dg.DagsterRun:
    run = dg.DagsterRun(job_name="ingest", run_id=str(uuid.uuid4()), status=dg.DagsterRunStatus.STARTED, tags=tags)
    instance.add_run(run)
    if step:
        instance.event_log_storage.claim_concurrency_slot(WRITER_POOL, run.run_id, step)
    return run


def test_process_alive_tells_live_dead_zombie_and_recycled_pids() -> None:
    assert process_alive(process_tags()) is True
    assert process_alive(process_tags(_dead_pid())) is False
    zombie = subprocess.Popen(["sleep", "60"])
    tags = process_tags(zombie.pid)
    os.kill(zombie.pid, signal.SIGKILL)  # killed, not yet collected by its parent (us)
    try:
        for _ in range(100):
            if process_alive(tags) is False:
                break
            os.sched_yield()
        assert process_alive(tags) is False
    finally:
        zombie.wait()
    recycled = process_tags() | {STARTED_TAG: "1"}  # our pid, but a process that started at another time
    assert process_alive(recycled) is False
    assert process_alive(process_tags() | {HOST_TAG: socket.gethostname() + "-elsewhere"}) is None
    assert process_alive({}) is None


def test_dead_runs_are_failed_and_their_slots_freed(instance: dg.DagsterInstance) -> None:
    dead = _run(instance, {**process_tags(_dead_pid()), "launched_by": "make run"}, step="articles")
    live = _run(instance, process_tags())
    unknown = _run(instance, {})  # started before it could record its process: left alone
    messages = reclaim_dead_runs(instance)
    assert len(messages) == 1 and dead.run_id[:8] in messages[0] and "make run" in messages[0]
    assert instance.get_run_by_id(dead.run_id).status == dg.DagsterRunStatus.FAILURE
    assert instance.get_run_by_id(live.run_id).status == dg.DagsterRunStatus.STARTED
    assert instance.get_run_by_id(unknown.run_id).status == dg.DagsterRunStatus.STARTED
    assert not instance.event_log_storage.get_concurrency_info(WRITER_POOL).claimed_slots
    assert reclaim_dead_runs(instance) == []  # done once


def test_a_finished_run_holding_a_slot_gives_it_back(instance: dg.DagsterInstance) -> None:
    run = _run(instance, process_tags(), step="events")
    instance.report_run_failed(run, "ended from the UI")
    (message,) = reclaim_dead_runs(instance)
    assert "ended (FAILURE)" in message
    assert not instance.event_log_storage.get_concurrency_info(WRITER_POOL).claimed_slots


def test_a_waiting_run_says_who_holds_the_pool_then_reclaims_a_dead_holder(instance: dg.DagsterInstance) -> None:
    holder_process = subprocess.Popen(["sleep", "60"])
    holder = _run(instance, {**process_tags(holder_process.pid), "launched_by": "make run"}, step="nlp_parses")
    waiter = _run(instance, process_tags())
    instance.event_log_storage.claim_concurrency_slot(WRITER_POOL, waiter.run_id, "entities")  # pending
    said: list[str] = []
    watcher = RunWatcher(instance, waiter.run_id, said.append)
    try:
        watcher.check()
        watcher.check()  # the same holder is not repeated at every check
        assert len(said) == 1
        assert f"run {holder.run_id[:8]} (make run, pid {holder_process.pid}" in said[0]
        assert "step nlp_parses since" in said[0] and "Step entities waits" in said[0]
    finally:
        holder_process.kill()
        holder_process.wait()
    watcher.check()
    assert any("is gone" in message for message in said[1:])
    pool = instance.event_log_storage.get_concurrency_info(WRITER_POOL)
    assert not pool.claimed_slots  # the dead holder's slot is free...
    assert [(p.run_id, bool(p.assigned_timestamp)) for p in pool.pending_steps] == [
        (waiter.run_id, True)
    ]  # ...and ours


def test_a_step_waiting_for_a_slot_sleeps_until_its_next_check(instance: dg.DagsterInstance) -> None:
    _run(instance, process_tags(), step="documents")
    waiter = _run(instance, process_tags())
    dagster_fix.apply()
    context = InstanceConcurrencyContext(instance, waiter)
    assert context.claim(WRITER_POOL, "articles") is False
    # Dagster 1.13.27 returns min(0, …) here, so its executor never sleeps and spins a core.
    assert context.interval_to_next_pending_claim_check() > 0


def test_process_tags_name_this_process() -> None:
    tags = process_tags()
    assert tags[PID_TAG] == str(os.getpid()) and tags[HOST_TAG] == socket.gethostname() and tags[STARTED_TAG]


def test_a_dead_run_being_canceled_ends_canceled_and_a_run_not_launched_is_left_alone(
    instance: dg.DagsterInstance,
) -> None:
    dying = _run(instance, process_tags(_dead_pid()), step="stories")
    instance.report_run_canceling(dying)
    # A run not launched yet has no process: tags it carries (a re-execution may copy its parent's) prove nothing.
    status = dg.DagsterRunStatus.NOT_STARTED
    waiting = dg.DagsterRun(job_name="ingest", run_id=str(uuid.uuid4()), status=status, tags=process_tags(_dead_pid()))
    instance.add_run(waiting)
    (message,) = reclaim_dead_runs(instance)
    assert "while the run was CANCELING: marked CANCELED" in message
    assert instance.get_run_by_id(dying.run_id).status == dg.DagsterRunStatus.CANCELED
    assert not instance.event_log_storage.get_concurrency_info(WRITER_POOL).claimed_slots
    assert instance.get_run_by_id(waiting.run_id).status == dg.DagsterRunStatus.NOT_STARTED
