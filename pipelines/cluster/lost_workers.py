"""Noticing a Celery worker that is gone while it runs a step, so its run fails clearly instead of hanging.

When a whole worker dies (kill -9 of its process group, a machine lost), no process is left to report the
step's end: its task stays unacknowledged in Redis until the visibility timeout (hours, so that long steps are
never handed out twice) and dagster-celery's executor waits for its result until then. The run worker
therefore watches the workers running its steps: each step task records which worker started it (Celery's
STARTED state, `task_track_started`), and the run pings that worker through Celery's remote control. A worker
runs a step in a pool child while its main process keeps answering control messages, so a long step on a live
worker always answers; only a worker that misses several pings in a row is declared lost. The step then
fails with WorkerLostError naming the worker, the run fails, and the daemon's run retry re-executes it.

The lost task is left in Redis, which hands it out again after the visibility timeout; the worker that gets
it skips it (SkipStepsOfEndedRuns in pipelines.cluster.worker): the run it belongs to has ended by then.
(Revoking it would not do: workers keep revoked ids in memory only, for three hours.)
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import dagster as dg
from billiard.exceptions import WorkerLostError
from celery import Celery, states
from dagster._core.execution.retries import RetryMode
from dagster_celery.core_execution_loop import core_celery_execution_loop
from dagster_celery.executor import CeleryExecutor, _submit_task, celery_executor

# A worker is pinged at most this often (seconds) while it runs a step of the run ...
PING_INTERVAL = 10.0
# ... waits this long for the answer ...
PING_TIMEOUT = 2.0
# ... and is declared lost after this many pings in a row went unanswered (about 30 s with the above).
MISSES_FOR_LOST = 3


class WorkerWatch:
    """The workers running a run's steps, and how many pings in a row each has missed."""

    def __init__(self, app: Celery, clock: Callable[[], float] = time.monotonic) -> None:
        self._app = app
        self._clock = clock
        self._pinged: dict[str, float] = {}
        self._misses: dict[str, int] = {}

    def lost_worker(self, result: Any) -> str | None:
        """The worker that started `result`'s task if it is declared lost, else None (also when no worker has
        started the task yet: a queued task waits for any worker, however long)."""
        if result.state != states.STARTED or not isinstance(result.info, dict):
            return None
        host = str(result.info.get("hostname"))
        now = self._clock()
        if now - self._pinged.get(host, float("-inf")) >= PING_INTERVAL:
            self._pinged[host] = now
            answered = self._app.control.ping(destination=[host], timeout=PING_TIMEOUT)
            self._misses[host] = 0 if answered else self._misses.get(host, 0) + 1
        return host if self._misses.get(host, 0) >= MISSES_FOR_LOST else None


class WatchedResult:
    """A step task's AsyncResult as dagster-celery's execution loop uses it (ready, get, revoke), which is
    also ready, with WorkerLostError, when the worker running the step is lost."""

    def __init__(self, result: Any, step_key: str, watch: WorkerWatch) -> None:
        self._result = result
        self._step_key = step_key
        self._watch = watch
        self._lost: str | None = None

    def ready(self) -> bool:
        if self._result.ready():
            return True
        self._lost = self._watch.lost_worker(self._result)
        return self._lost is not None

    def get(self) -> Any:
        if self._lost is not None and not self._result.ready():
            waited = int(PING_INTERVAL * (MISSES_FOR_LOST - 1) + PING_TIMEOUT)
            raise WorkerLostError(
                f"Celery worker {self._lost} is lost: it stopped answering while it ran step {self._step_key!r} "
                f"(no reply to {MISSES_FOR_LOST} pings in a row over {waited} s). Re-execute the run from this "
                f"step; its task {self._result.id}, if Redis hands it out again, will be skipped."
            )
        return self._result.get()

    def revoke(self) -> None:
        self._result.revoke()


class WatchedCeleryExecutor(CeleryExecutor):
    """dagster-celery's executor, with each step's worker watched (WorkerWatch) while the step runs."""

    def execute(self, plan_context, execution_plan):  # noqa: ANN001, ANN201 (Executor's untyped signature)
        watches: dict[int, WorkerWatch] = {}

        def submit(app: Celery, context: Any, step: Any, *rest: Any) -> WatchedResult:
            watch = watches.setdefault(id(app), WorkerWatch(app))
            return WatchedResult(_submit_task(app, context, step, *rest), step.key, watch)

        return core_celery_execution_loop(plan_context, execution_plan, step_execution_fn=submit)


@dg.executor(
    name="celery",
    config_schema=celery_executor.config_schema,
    requirements=dg.multiple_process_executor_requirements(),
)
def watched_celery_executor(init_context: dg.InitExecutorContext) -> WatchedCeleryExecutor:
    """dagster-celery's `celery` executor (same config) whose runs notice a lost worker (WatchedCeleryExecutor)."""
    config = init_context.executor_config
    return WatchedCeleryExecutor(
        retries=RetryMode.from_config(config["retries"]),
        broker=config.get("broker"),
        backend=config.get("backend"),
        include=config.get("include"),
        config_source=config.get("config_source"),
    )
