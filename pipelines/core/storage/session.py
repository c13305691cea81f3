"""The interface the stages use: a Session reads and writes one backend's warehouse, a Storage opens sessions
and publishes. Both backends (embedded.py, lake.py) implement it.

One call, one effect: `query`, `query_with`, `arrow`, `scalar`, `count`, `meta` and `data_version` only read;
`write`, `write_with`, `insert`, `insert_new`, `upsert`, `set_meta` and `bump_data_version` only write, and a
named statement of the other kind is refused, so a reader of a stage knows from the call site what it does.
Writes inside `transaction()` land together or not at all; each backend decides what a commit involves (the
embedded file's write log, the lake's retry of a commit that lost a race).
"""

from __future__ import annotations

import contextlib
from abc import ABC, abstractmethod
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.core.storage.sql import (
    WarehouseError,
    as_table,
    identifier,
    is_query,
    statement,
    utcnow,
)

Rows = pa.Table | Sequence[dict[str, Any]]
# The relation a named statement joins against when a call passes rows (`query_with`, `write_with`).
PROBE = "probe"


class WarehouseBusy(RuntimeError):
    """Another process kept the warehouse lock longer than the timeout."""


class WriteConflict(WarehouseError):
    """A concurrent writer committed a change this transaction conflicts with, and it could not be redone."""


class NotPublished(WarehouseError):
    """Nothing has been published yet: analysts have no warehouse to read."""


@dataclass(frozen=True)
class PublishResult:
    location: str  # where analysts read it: a file, or the lake's snapshot
    published: bool
    data_version: int
    seconds: float
    size_bytes: int
    mode: str = "unchanged"  # replayed | copied | snapshot | unchanged


@dataclass
class Op:
    """One write: SQL text, named parameters, and the relations (name → Arrow table) it reads."""

    sql: str
    params: dict[str, Any] | None = None
    relations: dict[str, pa.Table] = field(default_factory=dict)


class Session:
    """An open connection to one warehouse, for one stage. Subclasses decide what a commit involves."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._columns: dict[str, list[str]] = {}
        self._ops: list[Op] | None = None  # the open transaction's writes; None outside a transaction
        self._read_in_transaction = False

    # -- reading -------------------------------------------------------------------------------
    def _fetch(self, sql: str, params: Mapping[str, Any] | None) -> list[dict[str, Any]]:
        if self._ops is not None:
            self._read_in_transaction = True
        cursor = self.con.execute(sql, dict(params) if params else None)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    @staticmethod
    def _read_sql(name: str) -> str:
        sql = statement(name)
        if not is_query(sql):
            raise WarehouseError(f"statement {name!r} changes data: run it with write(), not a read")
        return sql

    def query(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of the named statement warehouse/statements/<name>.sql as dicts."""
        return self._fetch(self._read_sql(name), params)

    def query_with(self, name: str, probe: Rows, **params: Any) -> list[dict[str, Any]]:
        """Rows of a named statement that joins against `probe` (visible to it as the relation `probe`)."""
        sql = self._read_sql(name)
        self.con.register(PROBE, as_table(probe))
        try:
            return self._fetch(sql, params)
        finally:
            self.con.unregister(PROBE)

    def arrow(self, name: str, **params: Any) -> pa.Table:
        if self._ops is not None:
            self._read_in_transaction = True
        return self.con.execute(self._read_sql(name), params or None).to_arrow_table()

    def scalar(self, name: str, **params: Any) -> Any:
        rows = self._fetch(self._read_sql(name), params)
        return next(iter(rows[0].values())) if rows else None

    def count(self, table: str) -> int:
        self._check_table(table)
        return int(self._fetch(f"SELECT count(*) AS n FROM {table}", None)[0]["n"])

    def meta(self, key: str, default: str | None = None) -> str | None:
        rows = self._fetch("SELECT value FROM warehouse_meta WHERE key = $key", {"key": key})
        return rows[0]["value"] if rows else default

    def data_version(self, topic: str | None = None) -> int:
        """How many committed changes the warehouse (or `topic`'s data) has seen: a number that grows with every
        bump_data_version, for publish and the stages that skip work when nothing they read changed."""
        if topic is None:
            rows = self._fetch("SELECT count(*) AS n FROM data_changes", None)
        else:
            rows = self._fetch("SELECT count(*) AS n FROM data_changes WHERE topic = $topic", {"topic": topic})
        return int(rows[0]["n"])

    # -- writing -------------------------------------------------------------------------------
    @staticmethod
    def _write_sql(name: str) -> str:
        sql = statement(name)
        if is_query(sql):
            raise WarehouseError(f"statement {name!r} only reads: use query(), not a write")
        return sql

    def write(self, name: str, **params: Any) -> None:
        """Execute a named statement that changes data."""
        self._execute(self._write_sql(name), params or None)

    def write_with(self, name: str, probe: Rows, **params: Any) -> None:
        """Execute a named statement that changes data, joining against `probe` (the relation `probe`)."""
        self._execute(self._write_sql(name), params or None, {PROBE: as_table(probe)})

    def insert(self, table: str, rows: Rows) -> int:
        if not isinstance(rows, pa.Table) and not rows:
            return 0
        data = self._relation(table, rows)
        self._execute(f"INSERT INTO {table} BY NAME SELECT * FROM _rows", relations={"_rows": data})
        return data.num_rows

    def insert_new(self, table: str, rows: Rows, keys: Sequence[str]) -> int:
        """Insert rows whose key is not stored yet; for immutable rows such as documents (re-reading the same
        bytes is a no-op, and cheaper than an upsert)."""
        if not isinstance(rows, pa.Table) and not rows:
            return 0
        if not keys:
            raise WarehouseError(f"insert_new into {table} needs its key columns")
        data = self._relation(table, rows, keys)
        self._execute(self._insert_new_sql(table, keys), relations={"_rows": data})
        return data.num_rows

    def _insert_new_sql(self, table: str, keys: Sequence[str]) -> str:
        """Insert the rows of `_rows` whose key `table` does not hold yet (and the first of repeated keys)."""
        match = " AND ".join(f"t.{k} = r.{k}" for k in keys)
        return (
            f"INSERT INTO {table} BY NAME SELECT * FROM _rows AS r "
            f"WHERE NOT EXISTS (SELECT 1 FROM {table} AS t WHERE {match}) "
            f"QUALIFY row_number() OVER (PARTITION BY {', '.join(f'r.{k}' for k in keys)}) = 1"
        )

    def upsert(self, table: str, rows: Rows, keys: Sequence[str]) -> int:
        """Replace rows with the same key, insert the others (delete-then-insert: measured 10x faster than
        ON CONFLICT DO UPDATE, which rewrites every touched row group, and the lake has no keys to conflict on)."""
        if not isinstance(rows, pa.Table) and not rows:
            return 0
        if not keys:
            raise WarehouseError(f"upsert into {table} needs its key columns")
        data = self._relation(table, rows, keys)
        match = " AND ".join(f"{table}.{k} = _rows.{k}" for k in keys)
        self._execute(
            f"DELETE FROM {table} USING _rows WHERE {match}; INSERT INTO {table} BY NAME SELECT * FROM _rows",
            relations={"_rows": data},
        )
        return data.num_rows

    def set_meta(self, key: str, value: str) -> None:
        self.upsert("warehouse_meta", [{"key": key, "value": value}], ["key"])

    def bump_data_version(self, topic: str) -> None:
        """Record that committed data of `topic` changed, so publish and the stages that read it know there is
        something new. Appends a row: concurrent writers never delete each other's (see data_changes)."""
        self.insert("data_changes", [{"topic": topic, "changed_at": utcnow()}])

    def _execute(
        self, sql: str, params: dict[str, Any] | None = None, relations: dict[str, pa.Table] | None = None
    ) -> None:
        """Execute a statement that changes data; inside a transaction, recorded as one of its writes."""
        if self._ops is None and self._writes_need_transaction():
            with self.transaction():
                self._execute(sql, params, relations)
            return
        self._run_op(Op(sql, params, dict(relations or {})))
        if self._ops is not None:
            self._ops.append(Op(sql, params, dict(relations or {})))

    def _run_op(self, op: Op) -> None:
        for name, table in op.relations.items():
            self.con.register(name, table)
        try:
            self.con.execute(op.sql, op.params or None)
        finally:
            for name in op.relations:
                self.con.unregister(name)

    def _writes_need_transaction(self) -> bool:
        """Whether a write outside `transaction()` gets one of its own (it must, where commits do more than
        COMMIT)."""
        return False

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """All-or-nothing: a batch's writes land together, or (crash, error) not at all."""
        if self._ops is not None:
            raise WarehouseError("a transaction is already open on this session")
        self.con.execute("BEGIN TRANSACTION")
        self._ops = []
        self._read_in_transaction = False
        try:
            yield self
            self._commit(self._ops)
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                self.con.execute("ROLLBACK")
            raise
        finally:
            self._ops = None

    def _commit(self, ops: list[Op]) -> None:
        self.con.execute("COMMIT")

    def _check_table(self, table: str) -> list[str]:
        if table not in self._columns:
            identifier(table, "table name")
            cols = [
                r[0]
                for r in self.con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
                    "AND database_name = current_database() ORDER BY column_index",
                    [table],
                ).fetchall()
            ]
            if not cols:
                raise WarehouseError(f"no table {table!r} in the warehouse")
            self._columns[table] = cols
        return self._columns[table]

    def _relation(self, table: str, rows: Rows, keys: Sequence[str] = ()) -> pa.Table:
        data = as_table(rows)
        columns = self._check_table(table)
        unknown = [c for c in data.column_names if c not in columns]
        if unknown:
            raise WarehouseError(f"columns {unknown} are not in table {table}")
        if any(k not in columns for k in keys):
            raise WarehouseError(f"bad key {list(keys)} for {table}")
        return data


class Storage(ABC):
    """A warehouse: where sessions write and analysts read. `directory` is the local folder for files that
    are not warehouse data (the brief, reports)."""

    directory: Path

    @abstractmethod
    def session(self, *, exclusive: bool = False) -> contextlib.AbstractContextManager[Session]:
        """A migrated session for one stage. No two exclusive sessions overlap, in any process: the global
        stages take them, because they choose their work from everything pending and write what they chose.
        The embedded backend's sessions all are (each holds the file's lock)."""

    @abstractmethod
    def publish(self, session: Session, *, force: bool = False) -> PublishResult:
        """Make what the sessions committed visible to analysts, if anything changed since the last time."""

    @abstractmethod
    def read_published(self) -> duckdb.DuckDBPyConnection:
        """A read-only connection to what analysts see (never blocks the pipeline, never blocked by it)."""

    def schema_unpublished(self, session: Session) -> bool:
        """Whether the session's warehouse has views or migrations the published one lacks. Applying them changes
        no data, so the data version does not tell: a release that only adds views would otherwise reach
        analysts with the next new article, not with the next run."""
        try:
            con = self.read_published()
        except NotPublished:
            return False  # the first publish happens anyway
        except duckdb.Error:
            return True  # damaged or replaced by something else: publishing again repairs it
        try:
            published = Session(con)
            return published.meta("views_checksum") != session.meta("views_checksum") or published.scalar(
                "schema_version"
            ) != session.scalar("schema_version")
        finally:
            con.close()

    @property
    @abstractmethod
    def published_location(self) -> str:
        """Where analysts read the warehouse, as shown to them."""
