"""Jobs the cluster tests run on the Celery workers (the workers import this module by name)."""

import json
import os
import socket
import time
from pathlib import Path

import dagster as dg

from pipelines.cluster.celery_settings import executor_config
from pipelines.cluster.lost_workers import watched_celery_executor

CELERY = watched_celery_executor.configured(executor_config())


class Where(dg.Config):
    folder: str
    seconds: float = 2.0


def _record(folder: str, step: str, **extra: object) -> None:
    """One JSON line per event of a step: which process ran it and when."""
    line = {"step": step, "pid": os.getpid(), "host": socket.gethostname(), "at": time.time(), **extra}
    with (Path(folder) / "events.jsonl").open("a") as handle:
        handle.write(json.dumps(line) + "\n")


@dg.op(out=dg.Out(dg.Nothing))
def left(config: Where) -> None:
    _record(config.folder, "left", phase="start")
    time.sleep(config.seconds)
    _record(config.folder, "left", phase="end")


@dg.op(out=dg.Out(dg.Nothing))
def right(config: Where) -> None:
    _record(config.folder, "right", phase="start")
    time.sleep(config.seconds)
    _record(config.folder, "right", phase="end")


@dg.op(ins={"after_left": dg.In(dg.Nothing), "after_right": dg.In(dg.Nothing)})
def join(config: Where) -> None:
    _record(config.folder, "join", phase="end")


@dg.op
def write_once(config: Where) -> None:
    """Stands for a stage: the first attempt announces itself and hangs (the test kills its process); a later
    attempt finds the announcement and finishes, appending its one row to the ledger, as an idempotent stage
    commits its batch once."""
    folder = Path(config.folder)
    if not (folder / "attempt").exists():
        (folder / "attempt").write_text(str(os.getpid()))
        time.sleep(config.seconds)
    with (folder / "ledger").open("a") as handle:
        handle.write("committed\n")


def _square(chunk: list[int]) -> list[int]:
    return [x * x for x in chunk]


@dg.op
def pooled(config: Where) -> None:
    """Stands for a stage with a batch large enough for the pipeline's worker processes."""
    from pipelines.core.workers import MIN_ITEMS_FOR_WORKERS, map_chunks, shutdown

    items = list(range(MIN_ITEMS_FOR_WORKERS))
    try:
        total = sum(map_chunks(_square, items, processes=2))
    finally:
        shutdown()
    _record(config.folder, "pooled", phase="end", total=total)


@dg.job(executor_def=CELERY)
def uses_pool() -> None:
    pooled()


@dg.job(executor_def=CELERY)
def fan_out() -> None:
    join(after_left=left(), after_right=right())


@dg.job(executor_def=CELERY)
def killable() -> None:
    write_once()
