"""A fix to the pinned Dagster's SQLite instance storage: one SQLAlchemy engine per database file, not one per
connection.

Dagster 1.13.27's SQLite run, schedule and event-log storages (the default instance of $DAGSTER_HOME, the one
`make run`, `make ui` and the sensor's runs record into) call `create_engine` every time they open a
connection, and a run opens thousands: every event a step logs is stored through several of them. A new
engine means a new dialect and an empty compiled-statement cache, so every INSERT and SELECT is compiled again
from its expression tree; that was ~28% of the CPU of a `make run` that finds nothing new. SQLAlchemy engines
are meant to be made once per database and are safe to share between threads.

The engines keep Dagster's `NullPool`: every connection is still opened and closed around its use, exactly as
before, so locking between processes (the UI, the daemon, runs) and what reaches the file are unchanged; only
the engine object and its statement cache are kept. The event log has a database per run: the most recent
few are kept, older ones disposed, so a long-lived process (the code server behind `make ui`) does not
accumulate one per run it ever read.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from dagster._core.storage.event_log.sqlite.sqlite_event_log import (
    INDEX_SHARD_NAME,
    SQLITE_BUSY_TIMEOUT_SECONDS,
    SqliteEventLogStorage,
)
from dagster._core.storage.runs.sqlite.sqlite_run_storage import SqliteRunStorage
from dagster._core.storage.schedules.sqlite.sqlite_schedule_storage import SqliteScheduleStorage
from dagster._core.storage.sql import create_engine
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.pool import NullPool

# Run databases whose engines an event log keeps: the index and the run being executed are the ones in use;
# a few more cover a UI or sensor reading recent runs.
KEPT_SHARDS = 8


class _EngineCache:
    """Engines of one storage object by connection string, least recently used evicted past `size`."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._engines: OrderedDict[str, Engine] = OrderedDict()
        self._lock = threading.Lock()

    def engine(self, conn_string: str, **connect_args: object) -> Engine:
        with self._lock:
            engine = self._engines.get(conn_string)
            if engine is None:
                engine = create_engine(conn_string, poolclass=NullPool, connect_args=connect_args)
                self._engines[conn_string] = engine
                while len(self._engines) > self._size:
                    self._engines.popitem(last=False)[1].dispose()
            self._engines.move_to_end(conn_string)
            return engine


def _cache(storage: object, size: int) -> _EngineCache:
    cache = storage.__dict__.get("_news_engines")
    if cache is None:
        cache = storage.__dict__.setdefault("_news_engines", _EngineCache(size))
    return cache


def _shard_engine(storage: SqliteEventLogStorage, shard: str) -> Engine:
    return _cache(storage, KEPT_SHARDS).engine(
        storage.conn_string_for_shard(shard), timeout=SQLITE_BUSY_TIMEOUT_SECONDS
    )


@contextmanager
def _event_log_connect(self: SqliteEventLogStorage, shard: str) -> Iterator[Connection]:
    """SqliteEventLogStorage._connect with the shard's engine kept (same lock, same first-use migration)."""
    with self._db_lock:
        engine = _shard_engine(self, shard)
        if shard not in self._initialized_dbs:
            self._initdb(engine)
            self._initialized_dbs.add(shard)
        with engine.connect() as conn, conn.begin():
            yield conn


def _event_log_has_table(self: SqliteEventLogStorage, table_name: str) -> bool:
    """SqliteEventLogStorage.has_table (asked at every event stored with tags) on the index's kept engine."""
    engine = _shard_engine(self, INDEX_SHARD_NAME)
    with engine.connect() as conn:
        return bool(engine.dialect.has_table(conn, table_name))


@contextmanager
def _single_file_connect(self: SqliteRunStorage | SqliteScheduleStorage) -> Iterator[Connection]:
    """The run and schedule storages' connect(), on the one engine of their database file."""
    with _cache(self, 1).engine(self._conn_string).connect() as conn, conn.begin():
        yield conn


def apply() -> None:
    SqliteEventLogStorage._connect = _event_log_connect
    SqliteEventLogStorage.has_table = _event_log_has_table
    SqliteRunStorage.connect = _single_file_connect
    SqliteScheduleStorage.connect = _single_file_connect
