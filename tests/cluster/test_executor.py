"""Dagster steps on two Celery workers, the instance on PostgreSQL: steps spread over the workers and overlap,
and a worker process (or a whole worker) killed mid-step fails the run clearly; re-executing it from the
failure commits once."""

from __future__ import annotations

import json
import os
import signal
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.cluster.conftest import require

require("PostgreSQL", "redis-server", "celery")

import dagster as dg  # noqa: E402 (after the skip: the cluster extra may be absent)

from pipelines.benchmarks.parallel_batches import overlap_seconds, step_interval  # noqa: E402
from pipelines.cluster.profile import WORKERS, Cluster  # noqa: E402
from tests.cluster import toy_job  # noqa: E402

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def instance(cluster: Cluster) -> Iterator[dg.DagsterInstance]:
    cluster.up(["postgres", "redis", "worker-1", "worker-2"])
    with dg.DagsterInstance.from_config(str(cluster.dagster_home)) as inst:
        yield inst


def _events(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]


def test_steps_run_on_both_workers_at_once(instance: dg.DagsterInstance, tmp_path: Path) -> None:
    config = {"folder": str(tmp_path), "seconds": 3.0}
    run_config = {"ops": {name: {"config": config} for name in ("left", "right", "join")}}
    with dg.execute_job(dg.reconstructable(toy_job.fan_out), instance, run_config=run_config) as result:
        assert result.success
        run_id = result.run_id
    events = _events(tmp_path)
    starts = {e["step"]: e for e in events if e["phase"] == "start"}
    ends = {e["step"]: e for e in events if e["phase"] == "end"}
    # Two worker processes, neither of them this one, ran the parallel steps, and at the same time.
    assert starts["left"]["pid"] != starts["right"]["pid"]
    assert os.getpid() not in {starts["left"]["pid"], starts["right"]["pid"]}
    assert starts["right"]["at"] < ends["left"]["at"] and starts["left"]["at"] < ends["right"]["at"]
    assert ends["join"]["at"] >= max(ends["left"]["at"], ends["right"]["at"])
    # The run is in the PostgreSQL instance, with its steps' history.
    stored = instance.get_run_by_id(run_id)
    assert stored is not None and stored.status == dg.DagsterRunStatus.SUCCESS
    steps = {e.step_key for e in instance.all_logs(run_id, of_type=dg.DagsterEventType.STEP_SUCCESS)}
    assert steps == {"left", "right", "join"}
    # The run's own events say the same, as the parallel_batches benchmark reads them: both steps ran at once,
    # on the two workers, each in the process that recorded it.
    left_step, right_step = (step_interval(instance, run_id, step) for step in ("left", "right"))
    assert overlap_seconds(left_step, right_step) > 0
    assert {left_step["worker"], right_step["worker"]} == {f"{name}@{socket.gethostname()}" for name in WORKERS}
    assert (left_step["pid"], right_step["pid"]) == (starts["left"]["pid"], starts["right"]["pid"])


def test_a_step_on_a_worker_can_start_the_pipelines_worker_pool(instance: dg.DagsterInstance, tmp_path: Path) -> None:
    run_config = {"ops": {"pooled": {"config": {"folder": str(tmp_path)}}}}
    with dg.execute_job(dg.reconstructable(toy_job.uses_pool), instance, run_config=run_config) as result:
        assert result.success
    (event,) = _events(tmp_path)
    assert event["total"] == sum(x * x for x in range(200))


def _killable_config(folder: Path, seconds: float) -> dict:
    return {"ops": {"write_once": {"config": {"folder": str(folder), "seconds": seconds}}}}


def _start_killable(
    instance: dg.DagsterInstance, folder: Path, seconds: float
) -> tuple[threading.Thread, dict[str, object], int]:
    """A run of toy_job.killable in a thread, once its step hangs on a worker: the thread, where it puts the
    run's outcome, and the pid of the worker's process running the step."""
    run_config = _killable_config(folder, seconds)
    outcome: dict[str, object] = {}

    def execute() -> None:
        with dg.execute_job(dg.reconstructable(toy_job.killable), instance, run_config=run_config) as result:
            outcome["success"], outcome["run_id"] = result.success, result.run_id

    runner = threading.Thread(target=execute)
    runner.start()
    attempt = folder / "attempt"
    deadline = time.monotonic() + 60
    while not attempt.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert attempt.exists(), "the step never started on a worker"
    time.sleep(0.2)
    return runner, outcome, int(attempt.read_text())


def _run_failure(instance: dg.DagsterInstance, outcome: dict[str, object]) -> tuple[str, str]:
    """The failed run's id and its failure's message; nothing was committed by the killed attempt."""
    run_id = str(outcome["run_id"])
    assert outcome["success"] is False
    run = instance.get_run_by_id(run_id)
    assert run is not None and run.status == dg.DagsterRunStatus.FAILURE
    failure = instance.all_logs(run_id, of_type=dg.DagsterEventType.RUN_FAILURE)
    assert failure, "no RUN_FAILURE event"
    return run_id, str(failure[0].dagster_event.event_specific_data.error)


def _reexecution_commits_once(instance: dg.DagsterInstance, run_id: str, folder: Path, seconds: float) -> None:
    options = dg.ReexecutionOptions.from_failure(run_id, instance)
    with dg.execute_job(
        dg.reconstructable(toy_job.killable),
        instance,
        run_config=_killable_config(folder, seconds),
        reexecution_options=options,
    ) as again:
        assert again.success
    assert (folder / "ledger").read_text().splitlines() == ["committed"]


def test_worker_killed_mid_step_fails_the_run_and_a_reexecution_commits_once(
    instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    runner, outcome, pid = _start_killable(instance, tmp_path, 120.0)
    os.kill(pid, signal.SIGKILL)  # the worker's process running the step
    runner.join(timeout=60)
    assert not runner.is_alive(), "the run did not notice its step's worker died"

    run_id, message = _run_failure(instance, outcome)
    assert "WorkerLostError" in message, message
    assert not (tmp_path / "ledger").exists()
    _reexecution_commits_once(instance, run_id, tmp_path, 120.0)


def test_whole_worker_lost_mid_step_fails_the_run_and_its_redelivered_task_is_skipped(
    cluster: Cluster, instance: dg.DagsterInstance, tmp_path: Path
) -> None:
    """The worker's whole process group killed, as when its machine dies: nothing reports the step's end, yet
    the run fails within a bounded time naming the lost worker; the task Redis later hands out again is
    skipped, and re-executing the run commits once."""
    from pipelines.cluster.worker import app

    runner, outcome, pid = _start_killable(instance, tmp_path, 300.0)
    (lost,) = [name for name, leader in cluster.status().items() if leader == os.getpgid(pid)]
    try:
        killed_at = time.monotonic()
        cluster.service(lost).stop(kill=True)  # SIGKILL to the worker's main process and its pool child
        runner.join(timeout=120)
        detected = time.monotonic() - killed_at
        assert not runner.is_alive(), "the run did not notice its step's worker was lost"
    finally:
        cluster.up([lost])
    print(f"lost worker detected {detected:.1f} s after the kill")

    run_id, message = _run_failure(instance, outcome)
    assert "WorkerLostError" in message and f"{lost}@" in message and "write_once" in message, message
    assert not (tmp_path / "ledger").exists()

    # Redis still holds the lost task unacknowledged; hand it out again now, as it does after the visibility
    # timeout. A worker receives it and skips it, because its run has ended.
    with app.connection_for_write() as connection:
        qos = connection.default_channel.qos
        client = connection.default_channel.client
        unacked = {tag: json.loads(entry)[0]["headers"]["id"] for tag, entry in client.hgetall(qos.unacked_key).items()}
        ((tag, task_id),) = [(tag, task) for tag, task in unacked.items() if task in message]  # the lost step's
        qos.restore_by_tag(tag.decode())
    assert app.AsyncResult(task_id).get(timeout=60) == []
    assert not (tmp_path / "ledger").exists()
    _reexecution_commits_once(instance, run_id, tmp_path, 300.0)
