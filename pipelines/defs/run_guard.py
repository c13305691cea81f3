"""Runs that die must not wedge the runs after them, and a run that waits says what it waits for.

Every writing step is in the `duckdb_writer` pool (one slot). Dagster frees a step's slot when the step
ends, but a run killed with SIGKILL (or a power cut, or an out-of-memory kill) never ends: its slot stays
claimed, the run stays STARTED in the UI, and every later run waits for that slot forever. Dagster's own
run monitoring cannot tell: the default run launcher (`dagster dev`) and `execute_in_process` (make run)
have no run-worker health check.

So each run records which process executes it (host, pid and the process's start time, so a recycled
pid is not mistaken for the run), and `reclaim_dead_runs` marks a run whose process is gone FAILED and
frees its slots. It is called before `make run` starts, on every tick of the seed-folder sensor (while
`make ui` runs), and by the watcher of every run that waits for the pool. A run on another host is
never judged from here: that is Dagster's run monitoring's job on a cluster.

The watcher (a thread per run, started by the `news` resource) also reports at WARNING, the default
console level of `make run`, which run, step and process holds the pool and since when, so a run never
waits silently.
"""

from __future__ import annotations

import os
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import dagster as dg
from dagster._core.storage.dagster_run import DagsterRunStatus, RunsFilter

from pipelines.core.processes import running, start_ticks
from pipelines.defs.common import WRITER_POOL

HOST_TAG, PID_TAG, STARTED_TAG = "news/host", "news/pid", "news/process_started"
# A run is in flight until it ends. A CANCELING run is too: its process still runs (and may still write)
# until the cancel lands. The sensor, the ordering of global steps and the reclaiming of dead runs all
# use these lists, so they agree on what "not ended" means.
NOT_LAUNCHED = (DagsterRunStatus.QUEUED, DagsterRunStatus.NOT_STARTED)  # no process executes it yet
LAUNCHED = (DagsterRunStatus.STARTING, DagsterRunStatus.STARTED, DagsterRunStatus.CANCELING)  # a process does
IN_FLIGHT = (*NOT_LAUNCHED, *LAUNCHED)
WATCH_SECONDS = 3.0  # how often a run checks whether it waits for the pool
REPEAT_SECONDS = 60.0  # a run still waiting for the same holder says so again after this long


def process_tags(pid: int | None = None) -> dict[str, str]:
    """Run tags naming the process that executes a run: the current one by default."""
    pid = os.getpid() if pid is None else pid
    return {HOST_TAG: socket.gethostname(), PID_TAG: str(pid), STARTED_TAG: start_ticks(pid)}


def process_alive(tags: dict[str, str]) -> bool | None:
    """Whether the process named by a run's tags still runs: None when the tags name none, or a process
    on another host (nothing here can tell)."""
    if tags.get(HOST_TAG) != socket.gethostname() or not tags.get(PID_TAG, "").isdigit():
        return None
    return running(int(tags[PID_TAG]), tags.get(STARTED_TAG, ""))


def _describe(run: dg.DagsterRun) -> str:
    tags = run.tags
    launched = tags.get("launched_by") or ("the seed sensor" if tags.get("dagster/sensor_name") else "")
    launched = launched or ("a backfill" if tags.get("dagster/backfill") else "the UI or a schedule")
    where = f"pid {tags[PID_TAG]} on {tags[HOST_TAG]}" if PID_TAG in tags else "process not known yet"
    return f"run {run.run_id[:8]} ({launched}, {where})"


def reclaim_dead_runs(instance: dg.DagsterInstance) -> list[str]:
    """Mark FAILED every launched run whose process on this host is gone (CANCELED if it was being
    canceled: it ended as asked, as Dagster's run monitoring ends one) and free its pool slots; free the
    slots that runs which already ended still hold (a run failed from the UI, say). Returns what was done,
    one sentence per run."""
    done = []
    for run in instance.get_runs(filters=RunsFilter(statuses=list(LAUNCHED))):
        if process_alive(dict(run.tags)) is not False:
            continue
        canceling = run.status == DagsterRunStatus.CANCELING
        message = (
            f"The process of {_describe(run)} is gone (killed, or the machine stopped) while the run was "
            f"{run.status.value}: marked {'CANCELED' if canceling else 'FAILED'} and its writer-pool slot "
            "freed, so later runs proceed. Run the same partitions again to finish its work; what it "
            "committed is kept."
        )
        if canceling:
            instance.report_run_canceled(run, message)
        else:
            instance.report_run_failed(run, message)
        instance.event_log_storage.free_concurrency_slots_for_run(run.run_id)
        done.append(message)
    for run_id in instance.event_log_storage.get_concurrency_run_ids():
        run = instance.get_run_by_id(run_id)
        if run is None or run.is_finished:
            instance.event_log_storage.free_concurrency_slots_for_run(run_id)
            status = run.status.value if run else "deleted from the history"
            done.append(f"Run {run_id[:8]} ended ({status}) but still held a writer-pool slot: freed.")
    return done


@dataclass(frozen=True)
class Holder:
    """Who holds the writer pool's slot."""

    run_id: str
    step_key: str
    since: datetime | None

    def describe(self, instance: dg.DagsterInstance) -> str:
        run = instance.get_run_by_id(self.run_id)
        who = _describe(run) if run else f"run {self.run_id[:8]} (no longer in the run history)"
        since = f" since {self.since.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC" if self.since else ""
        unknown = run is not None and PID_TAG not in run.tags
        hint = " (if it is not running any more, terminate it in the UI: Runs → the run → Terminate)"
        return f"{who}, step {self.step_key}{since}{hint if unknown else ''}"


def pool_wait(instance: dg.DagsterInstance, run_id: str, pool: str = WRITER_POOL) -> tuple[list[str], list[Holder]]:
    """(this run's steps waiting for a slot of `pool`, the holders of its slots that are other runs)."""
    info = instance.event_log_storage.get_concurrency_info(pool)
    waiting = [p.step_key for p in info.pending_steps if p.run_id == run_id and p.assigned_timestamp is None]
    assigned = {(p.run_id, p.step_key): p.assigned_timestamp for p in info.pending_steps}
    holders = [
        Holder(c.run_id, c.step_key, assigned.get((c.run_id, c.step_key)))
        for c in info.claimed_slots
        if c.run_id != run_id
    ]
    return waiting, holders


class RunWatcher:
    """A thread beside a run's steps: while one of them waits for the writer pool, reclaim slots of dead
    runs and say who holds the pool (once per holder, again every REPEAT_SECONDS)."""

    def __init__(
        self, instance: dg.DagsterInstance, run_id: str, warn: Callable[[str], None], interval: float = WATCH_SECONDS
    ) -> None:
        self._instance, self._run_id, self._warn, self._interval = instance, run_id, warn, interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name=f"run-watcher-{run_id[:8]}", daemon=True)
        self._said: dict[tuple[str, str], float] = {}

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.check()
            except Exception as exc:  # the watcher must never take the run down with it
                self._warn(f"run watcher: could not read the pool's state ({exc})")

    def check(self) -> None:
        waiting, holders = pool_wait(self._instance, self._run_id)
        if not waiting:
            return
        for message in reclaim_dead_runs(self._instance):
            self._warn(message)
        now = datetime.now(UTC).timestamp()
        for holder in holders:
            key = (holder.run_id, holder.step_key)
            if now - self._said.get(key, -REPEAT_SECONDS) < REPEAT_SECONDS:
                continue
            self._said[key] = now
            self._warn(
                f"Step {', '.join(waiting)} waits for the {WRITER_POOL} pool (one writing step at a time), "
                f"held by {holder.describe(self._instance)}. It starts when that step ends; stop that run "
                "to go first."
            )


def start_watching(context: dg.InitResourceContext) -> RunWatcher | None:
    """Record the run's process in its tags and start its watcher (nothing outside a run: sensors)."""
    run, instance, log = context.run, context.instance, context.log
    if run is None or instance is None or log is None:
        return None
    instance.add_run_tags(run.run_id, process_tags())
    watcher = RunWatcher(instance, run.run_id, log.warning)
    watcher.start()
    return watcher
