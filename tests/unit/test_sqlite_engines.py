"""Dagster's SQLite instance storage opens each database file through one SQLAlchemy engine, not one per
connection, and still records and reads runs as before (pipelines/defs/sqlite_engines.py)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import dagster as dg
import sqlalchemy
from sqlalchemy.engine import Connection, Engine

from pipelines.defs import sqlite_engines


@contextmanager
def engines_used() -> Iterator[dict[str, set[int]]]:
    """The engines (by id) through which each database file was connected to inside the block."""
    used: dict[str, set[int]] = {}

    def record(conn: Connection) -> None:
        used.setdefault(Path(str(conn.engine.url.database)).name, set()).add(id(conn.engine))

    sqlalchemy.event.listen(Engine, "engine_connect", record)
    try:
        yield used
    finally:
        sqlalchemy.event.remove(Engine, "engine_connect", record)


@dg.asset
def numbers() -> list[int]:
    return [1, 2, 3]


@dg.asset
def total(numbers: list[int]) -> int:
    return sum(numbers)


def test_a_run_connects_to_each_database_through_one_engine(tmp_path: Path) -> None:
    sqlite_engines.apply()
    with dg.DagsterInstance.local_temp(str(tmp_path)) as instance, engines_used() as used:
        result = dg.materialize([numbers, total], instance=instance)
        assert result.success
        assert instance.get_ticks("origin", "selector") == []  # the schedule storage's database
    engines = {name: len(ids) for name, ids in used.items() if name != ":memory:"}
    assert {"runs.db", "index.db", f"{result.run_id}.db", "schedules.db"} <= set(engines)
    assert set(engines.values()) == {1}, engines  # before: one per connection, dozens per file in this run

    # A second process's view: everything the run logged is there, read through fresh storage objects.
    with dg.DagsterInstance.from_config(str(tmp_path)) as reader:
        assert reader.get_run_by_id(result.run_id).is_success
        logged = reader.all_logs(result.run_id)
        assert sum(1 for e in logged if e.dagster_event and e.dagster_event.is_step_materialization) == 2
        assert reader.get_latest_materialization_event(dg.AssetKey("total")).run_id == result.run_id


def test_only_the_most_recent_databases_keep_an_engine(tmp_path: Path) -> None:
    cache = sqlite_engines._EngineCache(size=2)
    urls = [f"sqlite:///{tmp_path / name}.db" for name in ("a", "b", "c")]
    first = cache.engine(urls[0])
    assert cache.engine(urls[0]) is first
    cache.engine(urls[1])
    cache.engine(urls[0])  # used again: now "b" is the oldest
    cache.engine(urls[2])
    assert cache.engine(urls[0]) is first
    again = cache.engine(urls[1])  # "b" was evicted and disposed: a new engine, which works
    with again.connect() as conn:
        assert conn.execute(sqlalchemy.text("select 1")).scalar() == 1
