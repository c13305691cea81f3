"""One pool of worker processes per pipeline process, shared by the stages of a run.

The pipeline's per-article work (cleaning, parsing, extracting mentions, coding events) is independent
per article, and the machine has several cores; a run's stages execute one after another in one process
(Dagster's in-process executor), so they share one pool instead of each starting its own (a spawn and
the imports cost seconds per worker). When a large cleaning batch says a parse follows, fresh workers
replace the cleaning ones and load spaCy (see `prepare`); otherwise workers load it on their first
parse, so stages that never parse do not pay for it. Small batches stay in the calling process: a pool
only pays off from a couple of hundred items.
"""

from __future__ import annotations

import atexit
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from itertools import islice
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many items, work stays in the calling process.
MIN_ITEMS_FOR_WORKERS = 200
# Items a stage takes from its pending state per query: bounded memory on a huge backfill, and the size
# map_chunks' `total` is given, so the workers are chosen for the round and its short last chunk too.
PENDING_ROUND = 20_000
# A worker is replaced after this many chunks: spaCy's string store and Python's heap only grow, so a
# long backfill would otherwise grow its workers batch after batch (a new one costs a spawn and a model
# load, ~3 s of CPU, against 64 chunks, 2,000-8,000 articles of parsing).
MAX_CHUNKS_PER_WORKER = 64
# A chunk has a cost of its own: parsing the 2,058 BBC texts took the workers 151 s of CPU in chunks of
# 32 against 132-142 s in chunks of 128, with three times the page faults (measured; the cause is not
# pinned down, and one process calling nlp.pipe 32 texts at a time shows no such cost). So a worker's
# chunk grows up to this many times `per_task` while plenty of a batch remains.
LARGEST_CHUNK_FACTOR = 4

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


def prepare(fn: Callable[[], object]) -> None:
    """Replace the running workers with fresh ones and have each call `fn` now, fire and forget, so the
    stage that follows finds its workers ready and without what the last stage left in their heaps: a
    stage that works alone in the calling process (near-duplicate grouping, between cleaning and
    parsing) leaves a core idle, so starting workers and loading the model there costs little wall
    time, and the parse starts at full speed. Workers that had cleaned 800 long reads held ~110 MB more
    each through the parse than fresh ones (measured). Nothing happens without a running pool (small
    batches never start one). `fn` should be cheap the second time in a process: a worker may take two
    of the calls."""
    if _pool is not None:
        size = _pool_size
        shutdown()
        pool = _shared_pool(size)
        for _ in range(size):
            pool.submit(fn)


def _batched(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """itertools.batched, which Python 3.11 (the oldest supported) lacks."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _guided(items: Iterable[T], total: int, processes: int, smallest: int) -> Iterator[list[T]]:
    """Chunks of up to LARGEST_CHUNK_FACTOR × `smallest` items while many of the `total` remain,
    shrinking to `smallest` as the batch ends (guided self-scheduling): few chunks where each costs
    something fixed, and small ones at the end so the workers finish together."""
    iterator = iter(items)
    remaining = total
    largest = smallest * LARGEST_CHUNK_FACTOR
    while chunk := list(islice(iterator, max(smallest, min(largest, remaining // (processes * 4))))):
        remaining -= len(chunk)
        yield chunk


def map_chunks(
    fn: Callable[[Sequence[T]], list[R]],
    items: Iterable[T],
    processes: int | None = None,
    per_task: int = 32,
    total: int | None = None,
) -> Iterator[R]:
    """fn over `items` in chunks of `per_task`, results in input order. Large batches (`total` items, by
    default len(items)) go to the worker pool in chunks of `per_task` and larger (_guided), kept at most
    two chunks per worker ahead of the results taken: so `items` may be a generator that reads its
    inputs only as the workers need them, and the caller's work on the results (writing them) overlaps
    the workers' work. Small batches run right here."""
    processes = worker_count() if processes is None else processes
    total = len(items) if total is None else total  # a generator comes with its total
    if processes <= 1 or total < MIN_ITEMS_FOR_WORKERS:
        for chunk in _batched(items, per_task):
            yield from fn(chunk)
        return
    pool = _shared_pool(processes)
    ahead: deque[Future[list[R]]] = deque()
    try:
        for chunk in _guided(items, total, processes, per_task):
            ahead.append(pool.submit(fn, chunk))
            if len(ahead) > processes * 2:
                yield from ahead.popleft().result()
        while ahead:
            yield from ahead.popleft().result()
    finally:  # the caller stopped early (an error, a closed generator): drop what has not started
        for future in ahead:
            future.cancel()
