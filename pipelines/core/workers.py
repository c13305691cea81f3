"""One pool of worker processes per pipeline process, shared by the stages of a run.

The pipeline's per-article work (cleaning, parsing, extracting mentions, coding events) is independent
per article, and the machine has several cores; a run's stages execute one after another in one process
(Dagster's in-process executor), so they share one pool instead of each starting its own (a spawn and
the imports cost seconds per worker). Workers load spaCy on their first parse, not before, so stages
that never parse do not pay for it. Small batches stay in the calling process: a pool only pays off
from a couple of hundred items.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, work stays in the calling process.
MIN_ITEMS_FOR_WORKERS = 200
# A worker is replaced after this many chunks: spaCy's string store and Python's heap only grow, so a
# long backfill would otherwise grow its workers batch after batch (a new one costs a model load, ~2 s,
# against ~64 chunks of work).
MAX_CHUNKS_PER_WORKER = 64

_pool: ProcessPoolExecutor | None = None
_pool_size = 0


def worker_count() -> int:
    """Processes for large batches: NEWS_WORKERS, default every core."""
    raw = os.environ.get("NEWS_WORKERS")
    return max(1, int(raw)) if raw else max(1, os.cpu_count() or 1)


def _shared_pool(size: int) -> ProcessPoolExecutor:
    global _pool, _pool_size
    if _pool is None or _pool_size != size:
        shutdown()
        # spawn, never fork: the parent holds DuckDB connections and Dagster's threads.
        _pool = ProcessPoolExecutor(
            max_workers=size, mp_context=multiprocessing.get_context("spawn"), max_tasks_per_child=MAX_CHUNKS_PER_WORKER
        )
        _pool_size = size
    return _pool


def shutdown() -> None:
    global _pool
    if _pool is not None:
        _pool.shutdown(cancel_futures=True)
        _pool = None


atexit.register(shutdown)


def map_chunks(
    fn: Callable[[Sequence[T]], list[R]], items: Sequence[T], processes: int | None = None, per_task: int = 32
) -> Iterator[R]:
    """fn over `items` in chunks, results in input order: in worker processes for large batches (each
    worker gets several chunks, so a slow chunk does not leave the others idle), else right here."""
    processes = worker_count() if processes is None else processes
    if processes <= 1 or len(items) < MIN_ITEMS_FOR_WORKERS:
        yield from fn(items)
        return
    size = max(per_task, len(items) // (processes * 4))
    chunks = [items[i : i + size] for i in range(0, len(items), size)]
    for results in _shared_pool(processes).map(fn, chunks):
        yield from results
