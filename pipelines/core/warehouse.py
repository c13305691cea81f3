"""The one place that talks to DuckDB: connect, migrate, read/write rows, publish.

Files under the warehouse directory (NEWS_WAREHOUSE_DIR, default warehouse/):
  work/pipeline.duckdb   the pipeline's working database (one writer at a time)
  work/writer.lock       an OS file lock around every session on it
  news.duckdb            the analysts' copy, replaced atomically after each run

DuckDB lets one process write a file and blocks every other process, readers included, meanwhile. So
the pipeline never lets anyone else open its working file: each session holds an exclusive OS lock
(concurrent runs, `make run` next to `make ui`, a crashed run's successor simply wait their turn),
and people read `news.duckdb`, which is published by writing a new file and renaming it over the old
one. A reader that has the old file open keeps a consistent snapshot; the next open sees the new one.

SQL text lives in .sql files under the project's warehouse/ folder: migrations/NNN_*.sql (versioned
DDL, recorded in schema_migrations), views.sql (re-applied when it changes) and statements/*.sql
(named queries with $parameters). Generic row writes (insert, delete-then-insert upsert) are built
here from validated identifiers; values always travel as parameters or Arrow tables, never as text.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import hashlib
import os
import re
import shutil
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.core.settings import PROJECT_ROOT

SQL_DIR = PROJECT_ROOT / "warehouse"
PUBLISHED_NAME = "news.duckdb"
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_held = threading.local()


class WarehouseBusy(RuntimeError):
    """Another process kept the warehouse lock longer than the timeout."""


class WarehouseError(RuntimeError):
    """The warehouse cannot be used as it is; the message says what to do."""


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def fts_extension_path() -> Path:
    """The FTS extension shipped by the pinned PyPI package (no network needed to load it)."""
    import duckdb_extension_fts

    base = Path(duckdb_extension_fts.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    found = sorted(base.glob("fts.duckdb_extension"))
    if not found:
        raise WarehouseError(f"FTS extension for DuckDB {duckdb.__version__} not found under {base}; run `make`")
    return found[0]


@cache
def _statement(name: str) -> str:
    path = SQL_DIR / "statements" / f"{name}.sql"
    if not path.is_file():
        raise WarehouseError(f"unknown SQL statement {name!r} (expected {path})")
    return path.read_text("utf-8")


def _checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _as_table(rows: pa.Table | Sequence[dict[str, Any]]) -> pa.Table:
    """Rows as an Arrow table with every key of every row as a column (NULL where a row lacks it).
    pyarrow's from_pylist infers the columns from the first row alone and silently drops keys that
    only later rows have: a chunk whose first row was a skipped article lost every parse's docbin."""
    if isinstance(rows, pa.Table):
        return rows
    columns = list(dict.fromkeys(key for row in rows for key in row))
    return pa.Table.from_pylist([{c: row.get(c) for c in columns} for row in rows])


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class PublishResult:
    path: Path
    published: bool
    data_version: int
    seconds: float
    size_bytes: int


class Session:
    """An open, locked connection to the working database."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self._columns: dict[str, list[str]] = {}

    # -- reading -------------------------------------------------------------------------------
    def rows(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of the named statement warehouse/statements/<name>.sql as dicts."""
        cursor = self.con.execute(_statement(name), params or None)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def arrow(self, name: str, **params: Any) -> pa.Table:
        return self.con.execute(_statement(name), params or None).to_arrow_table()

    def scalar(self, name: str, **params: Any) -> Any:
        row = self.con.execute(_statement(name), params or None).fetchone()
        return row[0] if row else None

    def run(self, name: str, **params: Any) -> None:
        """Execute a named statement that changes data."""
        self.con.execute(_statement(name), params or None)

    def count(self, table: str) -> int:
        self._check_table(table)
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def with_rows(
        self, name: str, rows: pa.Table | Sequence[dict[str, Any]], statement: str, **params: Any
    ) -> list[dict[str, Any]]:
        """Run a named statement that joins against `rows`, visible to it as the relation `name`."""
        table = _as_table(rows)
        if not _IDENT.match(name):
            raise WarehouseError(f"bad relation name {name!r}")
        self.con.register(name, table)
        try:
            return self.rows(statement, **params)
        finally:
            self.con.unregister(name)

    # -- writing -------------------------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """All-or-nothing: a batch's writes land together, or (crash, error) not at all."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            yield self
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        self.con.execute("COMMIT")

    def _check_table(self, table: str) -> list[str]:
        if table not in self._columns:
            if not _IDENT.match(table):
                raise WarehouseError(f"bad table name {table!r}")
            cols = [
                r[0]
                for r in self.con.execute(
                    "SELECT column_name FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
                    "ORDER BY column_index",
                    [table],
                ).fetchall()
            ]
            if not cols:
                raise WarehouseError(f"no table {table!r} in the warehouse")
            self._columns[table] = cols
        return self._columns[table]

    def _register(self, table: str, rows: pa.Table | Sequence[dict[str, Any]]) -> tuple[str, pa.Table]:
        data = _as_table(rows)
        known = set(self._check_table(table))
        unknown = [c for c in data.column_names if c not in known]
        if unknown:
            raise WarehouseError(f"columns {unknown} are not in table {table}")
        name = f"_rows_{table}"
        self.con.register(name, data)
        return name, data

    def insert(self, table: str, rows: pa.Table | Sequence[dict[str, Any]]) -> int:
        if not isinstance(rows, pa.Table) and not rows:
            return 0
        name, data = self._register(table, rows)
        try:
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
        finally:
            self.con.unregister(name)
        return data.num_rows

    def insert_new(self, table: str, rows: pa.Table | Sequence[dict[str, Any]], keys: Sequence[str]) -> int:
        """Insert rows whose key is not stored yet; for immutable rows such as documents (re-reading the same
        bytes is a no-op, and cheaper than an upsert)."""
        if not isinstance(rows, pa.Table) and not rows:
            return 0
        columns = self._check_table(table)
        if not keys or any(k not in columns for k in keys):
            raise WarehouseError(f"bad key {list(keys)} for {table}")
        name, data = self._register(table, rows)
        try:
            self.con.execute(f"INSERT OR IGNORE INTO {table} BY NAME SELECT * FROM {name}")
        finally:
            self.con.unregister(name)
        return data.num_rows

    def upsert(self, table: str, rows: pa.Table | Sequence[dict[str, Any]], keys: Sequence[str]) -> int:
        """Replace rows with the same key, insert the others (delete-then-insert: DESIGN §9 measured it
        10x faster than ON CONFLICT DO UPDATE, which rewrites every touched row group)."""
        if not isinstance(rows, pa.Table) and not rows:
            return 0
        columns = self._check_table(table)
        if not keys or any(k not in columns for k in keys):
            raise WarehouseError(f"bad key {list(keys)} for {table}")
        name, data = self._register(table, rows)
        try:
            match = " AND ".join(f"{table}.{k} = {name}.{k}" for k in keys)
            self.con.execute(f"DELETE FROM {table} USING {name} WHERE {match}")
            self.con.execute(f"INSERT INTO {table} BY NAME SELECT * FROM {name}")
        finally:
            self.con.unregister(name)
        return data.num_rows

    # -- bookkeeping ---------------------------------------------------------------------------
    def meta(self, key: str, default: str | None = None) -> str | None:
        row = self.con.execute("SELECT value FROM warehouse_meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.upsert("warehouse_meta", [{"key": key, "value": value}], ["key"])

    def bump_data_version(self, topic: str) -> int:
        """Mark that committed data changed (overall and for `topic`), so publish and index builds know
        whether there is anything new to do."""
        version = int(self.meta("data_version", "0") or 0) + 1
        self.set_meta("data_version", str(version))
        self.set_meta(f"{topic}_version", str(version))
        return version


class Warehouse:
    """Paths and sessions for one warehouse directory."""

    def __init__(self, directory: Path, lock_timeout: float = 1800.0) -> None:
        self.directory = Path(directory)
        self.work_path = self.directory / "work" / "pipeline.duckdb"
        self.lock_path = self.directory / "work" / "writer.lock"
        self.published_path = self.directory / PUBLISHED_NAME
        self.lock_timeout = lock_timeout

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        if getattr(_held, "paths", None) is None:
            _held.paths = set()
        if self.lock_path in _held.paths:
            raise WarehouseError("nested warehouse session in one thread: reuse the open session instead")
        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise self._storage_error(exc) or WarehouseError(
                f"cannot create {self.lock_path}: {exc.strerror}. Check that {self.directory} is writable "
                "(or point NEWS_WAREHOUSE_DIR elsewhere)"
            ) from exc
        deadline = time.monotonic() + self.lock_timeout
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() > deadline:
                        holder = self.lock_path.read_text(errors="replace").strip() or "unknown"
                        raise WarehouseBusy(
                            f"{self.work_path} stayed locked by another pipeline process ({holder}) for "
                            f"{self.lock_timeout:.0f}s; wait for it to finish or stop it"
                        ) from None
                    time.sleep(0.05)
            os.ftruncate(fd, 0)
            os.write(fd, f"pid {os.getpid()} since {utcnow().isoformat(timespec='seconds')}Z\n".encode())
            _held.paths.add(self.lock_path)
            try:
                yield
            finally:
                _held.paths.discard(self.lock_path)
                fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)

    def _storage_error(self, exc: Exception) -> WarehouseError | None:
        """A clear, actionable error for storage failures (disk full, read-only, permissions), else None."""
        message = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        if "No space left" in message:
            cause = f"the disk holding {self.directory} is full"
        elif "Read-only file system" in message or "read-only" in message.lower():
            cause = f"{self.directory} is on a read-only file system"
        elif "Permission denied" in message:
            cause = f"no permission to write in {self.directory}"
        else:
            return None
        return WarehouseError(
            f"{cause} ({message.splitlines()[0]}). The failed step's changes were rolled back; fix that "
            "(or set NEWS_WAREHOUSE_DIR elsewhere) and run again: the run resumes where it stopped"
        )

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        """Exclusive, migrated connection to the working database."""
        with self._lock():
            try:
                con = duckdb.connect(str(self.work_path))
            except duckdb.Error as exc:
                raise self._storage_error(exc) or WarehouseError(
                    f"cannot open {self.work_path}: {exc}. If the file is damaged, restore the last published copy "
                    f"(cp {self.published_path} {self.work_path}) and run again: inputs read since then are read again"
                ) from exc
            try:
                con.execute("SET force_compression = 'zstd'")
                _load_fts(con)
                session = Session(con)
                _migrate(session)
                yield session
            except duckdb.Error as exc:
                storage = self._storage_error(exc)
                if storage is None:
                    raise
                raise storage from exc
            finally:
                con.close()

    def publish(self, session: Session, *, force: bool = False) -> PublishResult:
        """Copy the working database to news.duckdb atomically, if anything changed since last time."""
        started = time.monotonic()
        version = int(session.meta("data_version", "0") or 0)
        stamp = self._published_stamp()
        unchanged = (
            stamp is not None
            and stamp == session.meta("published_stamp")
            and session.meta("published_version") == str(version)
        )
        if unchanged and not force:
            return PublishResult(
                self.published_path,
                False,
                version,
                time.monotonic() - started,
                self.published_path.stat().st_size,
            )
        session.set_meta("published_version", str(version))
        session.set_meta("published_at", utcnow().isoformat(timespec="seconds"))
        session.con.execute("CHECKPOINT")
        # A publish killed mid-copy leaves its temp file behind; we hold the writer lock, so no other
        # publish is running and every leftover can go.
        for stale in self.directory.glob(f".{PUBLISHED_NAME}.*.tmp"):
            stale.unlink(missing_ok=True)
        tmp = self.directory / f".{PUBLISHED_NAME}.{os.getpid()}.tmp"
        try:
            shutil.copyfile(self.work_path, tmp)
            with tmp.open("rb+") as handle:
                os.fsync(handle.fileno())
            tmp.replace(self.published_path)
            session.set_meta("published_stamp", self._published_stamp() or "")
            dir_fd = os.open(self.directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            hint = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror
            raise WarehouseError(
                f"could not publish {self.published_path}: {hint}. The previous copy is untouched; free space "
                "or fix permissions, then run again"
            ) from exc
        return PublishResult(
            self.published_path, True, version, time.monotonic() - started, self.published_path.stat().st_size
        )

    def _published_stamp(self) -> str | None:
        """Size, mtime and inode of news.duckdb: if someone replaced or damaged it, the next run republishes."""
        try:
            st = self.published_path.stat()
        except FileNotFoundError:
            return None
        return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ino}"

    def read_published(self) -> duckdb.DuckDBPyConnection:
        """Read-only connection to the analysts' copy (never blocks, never blocked by the pipeline)."""
        if not self.published_path.exists():
            raise WarehouseError(f"{self.published_path} does not exist yet: run `make run` first")
        return duckdb.connect(str(self.published_path), read_only=True)


def _load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB's FTS extension from the pinned PyPI package (its stem() is in the search macros, which bind
    when created). INSTALL also copies it into DuckDB's extension folder, so the DuckDB CLI autoloads it
    when someone searches the published file."""
    con.execute(f"INSTALL {_sql_literal(str(fts_extension_path()))}")
    con.execute("LOAD fts")


def _migrate(session: Session) -> None:
    con = session.con
    session.run("create_schema_migrations")
    applied = {v: c for v, c in con.execute("SELECT version, checksum FROM schema_migrations").fetchall()}
    for path in sorted((SQL_DIR / "migrations").glob("[0-9][0-9][0-9]_*.sql")):
        version = int(path.name[:3])
        text = path.read_text("utf-8")
        if version in applied:
            if applied[version] != _checksum(text):
                raise WarehouseError(
                    f"{path.name} changed after it was applied to this warehouse. Migrations are append-only: "
                    "revert the edit and add a new migration"
                )
            continue
        with session.transaction():
            con.execute(text)
            con.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, ?, ?)",
                [version, path.stem, _checksum(text), utcnow()],
            )
    views = (SQL_DIR / "views.sql").read_text("utf-8")
    if session.meta("views_checksum") != _checksum(views):
        with session.transaction():
            con.execute(views)
            _inherit_column_comments(session)
            session.set_meta("views_checksum", _checksum(views))


def _inherit_column_comments(session: Session) -> None:
    """View columns without a comment take the comment of the same column in the table they show,
    so column documentation is written once (in the migration) and never copied by hand."""
    for row in session.rows("view_columns_without_comment"):
        view, column = row["view_name"], row["column_name"]
        comment = session.scalar("table_column_comment", column=column, view=view)
        if comment and _IDENT.match(view) and _IDENT.match(column):
            session.con.execute(f"COMMENT ON COLUMN {view}.{column} IS {_sql_literal(comment)}")
