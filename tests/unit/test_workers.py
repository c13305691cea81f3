"""The shared worker pool: order, small batches in process, and fresh, warmed workers before a stage."""

from __future__ import annotations

import os
import time
from functools import partial
from pathlib import Path

import pytest

from pipelines.core import workers


def _pids(chunk: list[int]) -> list[tuple[int, int]]:
    return [(item, os.getpid()) for item in chunk]


def _mark(folder: Path) -> None:
    (folder / str(os.getpid())).touch()


def test_small_batches_stay_here_and_large_ones_keep_their_order(monkeypatch: pytest.MonkeyPatch) -> None:
    assert {pid for _, pid in workers.map_chunks(_pids, [1, 2, 3], processes=2)} == {os.getpid()}
    monkeypatch.setattr(workers, "MIN_ITEMS_FOR_WORKERS", 1)
    pooled = list(workers.map_chunks(_pids, list(range(100)), processes=2, per_task=7))
    assert [item for item, _ in pooled] == list(range(100))
    assert os.getpid() not in {pid for _, pid in pooled}


def test_chunks_grow_while_much_remains_and_shrink_toward_the_end() -> None:
    sizes = [len(chunk) for chunk in workers._guided(range(2058), 2058, processes=2, smallest=32)]
    assert sum(sizes) == 2058
    assert sizes[0] == 32 * workers.LARGEST_CHUNK_FACTOR  # few chunks while plenty remain
    assert sizes == sorted(sizes, reverse=True)
    assert sizes[-2:] == [32, 16]  # the last rounds are small, so both workers finish together
    assert [len(c) for c in workers._guided(range(100), 20, processes=2, smallest=8)] == [8] * 12 + [4]


def test_prepare_replaces_the_running_workers_and_never_starts_a_pool(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    workers.shutdown()
    workers.prepare(partial(_mark, tmp_path))  # no pool: a small run must not pay for warming workers
    assert workers._pool is None and not any(tmp_path.iterdir())

    monkeypatch.setattr(workers, "MIN_ITEMS_FOR_WORKERS", 1)
    cleaners = {pid for _, pid in workers.map_chunks(_pids, list(range(40)), processes=2, per_task=1)}
    workers.prepare(partial(_mark, tmp_path))
    deadline = time.monotonic() + 60
    while not any(tmp_path.iterdir()) and time.monotonic() < deadline:
        time.sleep(0.05)
    marked = {int(p.name) for p in tmp_path.iterdir()}
    assert 1 <= len(marked) <= 2 and os.getpid() not in marked  # the workers did it, not this process
    assert not marked & cleaners  # fresh workers, without what the last stage left in their heaps
    assert workers._pool is not None and workers._pool_size == 2
