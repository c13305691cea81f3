"""The one place that talks to DuckDB: connect, migrate, read/write rows, publish.

Files under the warehouse directory (NEWS_WAREHOUSE_DIR, default warehouse/):
  work/pipeline.duckdb   the pipeline's working database (one writer at a time)
  work/writer.lock       an OS file lock around every session on it
  work/oplog/            the write log: every committed transaction, replayable (oplog.py)
  work/standby/          standby copies of the published file, brought up to date by replaying the log
  news.duckdb            the analysts' copy, replaced atomically after each run

DuckDB lets one process write a file and blocks every other process, readers included, meanwhile. So
the pipeline never lets anyone else open its working file: each session holds an exclusive OS lock
(concurrent runs, `make run` next to `make ui`, a crashed run's successor simply wait their turn), and
people read `news.duckdb`, which is published by bringing a standby copy up to date and renaming it over
the old file. A reader that has the old file open keeps a consistent snapshot; the next open sees the
new one. Publishing costs what the run changed, not the size of the warehouse.

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
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.core.oplog import LogGap, Op, OpLog
from pipelines.core.settings import PROJECT_ROOT

SQL_DIR = PROJECT_ROOT / "warehouse"
PUBLISHED_NAME = "news.duckdb"
# Standby copies kept for publishing: the one readers most likely hold, plus spares.
MAX_STANDBYS = 3
# Rows per row group in files the pipeline writes. DuckDB rewrites a table's last, partly filled row
# group at every checkpoint; with the default (122,880 rows) that group holds a 100k-article warehouse's
# every parse and text, so each small run paid for rewriting them all (a second per checkpoint at 100k).
# Small groups keep the rewrite to the newest few thousand rows, whatever the warehouse's size.
ROW_GROUP_SIZE = 4096
# DuckDB keeps what it read cached up to its memory limit (by default 80% of the machine's memory), so a
# long backfill grew the pipeline process by gigabytes next to the spaCy workers; bigger work spills.
# The pipeline writes in chunks of a few hundred articles, well within it; NEWS_DUCKDB_MEMORY raises it.
DEFAULT_MEMORY_LIMIT = "512MB"
# A session waiting this long for another process's lock says so (Warehouse.on_wait).
LOCK_NOTICE_SECONDS = 5.0
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_held = threading.local()


class WarehouseBusy(RuntimeError):
    """Another process kept the warehouse lock longer than the timeout."""


class WarehouseError(RuntimeError):
    """The warehouse cannot be used as it is; the message says what to do."""


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def row_of(record: object) -> dict[str, Any]:
    """A dataclass of plain fields as a row to write. Not dataclasses.asdict, which deep-copies every
    field: 13 µs a mention against 0.5 µs, 0.7 s of the BBC run's 57,332 mentions."""
    return dict(vars(record))


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


_QUERY = re.compile(r"^(?:\s|--[^\n]*\n)*(?:SELECT|WITH|FROM|VALUES|DESCRIBE|SHOW|SUMMARIZE)\b", re.IGNORECASE)


def _is_query(sql: str) -> bool:
    """Whether a statement only reads (it then needs no log entry)."""
    return bool(_QUERY.match(sql))


def _sql_literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class PublishResult:
    path: Path
    published: bool
    data_version: int
    seconds: float
    size_bytes: int
    mode: str = "unchanged"  # replayed | copied | unchanged


class Session:
    """An open, locked connection to a warehouse file. Writes go through `_write`, so that with a write log
    (the working file) every committed transaction can be replayed on a standby copy (see oplog.py)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, oplog: OpLog | None = None) -> None:
        self.con = con
        self._columns: dict[str, list[str]] = {}
        self._oplog = oplog
        self._ops: list[Op] | None = None  # the open transaction's writes; None outside a transaction

    # -- reading -------------------------------------------------------------------------------
    def _fetch(self, sql: str, params: dict[str, Any] | None) -> list[dict[str, Any]]:
        cursor = self.con.execute(sql, params or None)
        columns = [d[0] for d in cursor.description]
        return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]

    def rows(self, name: str, **params: Any) -> list[dict[str, Any]]:
        """Rows of the named statement warehouse/statements/<name>.sql as dicts."""
        return self._fetch(_statement(name), params)

    def arrow(self, name: str, **params: Any) -> pa.Table:
        return self.con.execute(_statement(name), params or None).to_arrow_table()

    def scalar(self, name: str, **params: Any) -> Any:
        row = self.con.execute(_statement(name), params or None).fetchone()
        return row[0] if row else None

    def count(self, table: str) -> int:
        self._check_table(table)
        return int(self.con.execute(f"SELECT count(*) FROM {table}").fetchone()[0])

    def with_rows(
        self, name: str, rows: pa.Table | Sequence[dict[str, Any]], statement: str, **params: Any
    ) -> list[dict[str, Any]]:
        """Run a named statement that joins against `rows`, visible to it as the relation `name`: a query
        returns its rows; a statement that changes data is a logged write and returns nothing."""
        table = _as_table(rows)
        if not _IDENT.match(name):
            raise WarehouseError(f"bad relation name {name!r}")
        sql = _statement(statement)
        if not _is_query(sql):
            self._write(sql, params or None, {name: table})
            return []
        self.con.register(name, table)
        try:
            return self._fetch(sql, params)
        finally:
            self.con.unregister(name)

    # -- writing -------------------------------------------------------------------------------
    def run(self, name: str, **params: Any) -> None:
        """Execute a named statement that changes data."""
        self._write(_statement(name), params or None)

    def _write(
        self, sql: str, params: dict[str, Any] | None = None, relations: dict[str, pa.Table] | None = None
    ) -> None:
        """Execute a statement that changes data, inside a transaction, and record it for the write log."""
        if self._ops is None and self._oplog is not None:
            with self.transaction():
                self._write(sql, params, relations)
            return
        relations = relations or {}
        for name, table in relations.items():
            self.con.register(name, table)
        try:
            self.con.execute(sql, params or None)
        finally:
            for name in relations:
                self.con.unregister(name)
        if self._ops is not None:
            self._ops.append(Op(sql, params, dict(relations)))

    def apply(self, op: Op) -> None:
        """Replay a logged write (on a standby: no log of its own)."""
        self._write(op.sql, op.params, op.relations)

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """All-or-nothing: a batch's writes land together, or (crash, error) not at all. With a write log,
        the transaction is staged in the log before COMMIT and marked committed after it."""
        if self._ops is not None:
            raise WarehouseError("a transaction is already open on this session")
        self.con.execute("BEGIN TRANSACTION")
        self._ops = []
        staged: int | None = None
        try:
            yield self
            if self._ops and self._oplog is not None:
                staged = self.log_position() + 1
                self.set_log_position(staged)
                self._oplog.stage(staged, self._ops)
            self.con.execute("COMMIT")
        except BaseException:
            with contextlib.suppress(duckdb.Error):
                self.con.execute("ROLLBACK")
            if staged is not None and self._oplog is not None:
                self._oplog.discard(staged)
            raise
        finally:
            self._ops = None
        if staged is not None and self._oplog is not None:
            self._oplog.commit(staged)

    def log_position(self) -> int:
        return int(self.con.execute("SELECT seq FROM write_log_position").fetchone()[0])

    def set_log_position(self, seq: int) -> None:
        """Not logged: each file keeps its own position (see create_schema_migrations.sql)."""
        self.con.execute("UPDATE write_log_position SET seq = ?", [seq])

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

    def _relation(self, table: str, rows: pa.Table | Sequence[dict[str, Any]], keys: Sequence[str] = ()) -> pa.Table:
        data = _as_table(rows)
        columns = self._check_table(table)
        unknown = [c for c in data.column_names if c not in columns]
        if unknown:
            raise WarehouseError(f"columns {unknown} are not in table {table}")
        if any(k not in columns for k in keys):
            raise WarehouseError(f"bad key {list(keys)} for {table}")
        return data

    def insert(self, table: str, rows: pa.Table | Sequence[dict[str, Any]]) -> int:
        if not isinstance(rows, pa.Table) and not rows:
            return 0
        data = self._relation(table, rows)
        self._write(f"INSERT INTO {table} BY NAME SELECT * FROM _rows", relations={"_rows": data})
        return data.num_rows

    def insert_new(self, table: str, rows: pa.Table | Sequence[dict[str, Any]], keys: Sequence[str]) -> int:
        """Insert rows whose key is not stored yet; for immutable rows such as documents (re-reading the same
        bytes is a no-op, and cheaper than an upsert)."""
        if not isinstance(rows, pa.Table) and not rows:
            return 0
        if not keys:
            raise WarehouseError(f"insert_new into {table} needs its key columns")
        data = self._relation(table, rows, keys)
        self._write(f"INSERT OR IGNORE INTO {table} BY NAME SELECT * FROM _rows", relations={"_rows": data})
        return data.num_rows

    def upsert(self, table: str, rows: pa.Table | Sequence[dict[str, Any]], keys: Sequence[str]) -> int:
        """Replace rows with the same key, insert the others (delete-then-insert: DESIGN §9 measured it
        10x faster than ON CONFLICT DO UPDATE, which rewrites every touched row group)."""
        if not isinstance(rows, pa.Table) and not rows:
            return 0
        if not keys:
            raise WarehouseError(f"upsert into {table} needs its key columns")
        data = self._relation(table, rows, keys)
        match = " AND ".join(f"{table}.{k} = _rows.{k}" for k in keys)
        self._write(
            f"DELETE FROM {table} USING _rows WHERE {match}; INSERT INTO {table} BY NAME SELECT * FROM _rows",
            relations={"_rows": data},
        )
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

    def __init__(
        self, directory: Path, lock_timeout: float = 1800.0, on_wait: Callable[[str], None] | None = None
    ) -> None:
        """`on_wait` is told, once, when a session has waited LOCK_NOTICE_SECONDS for another process's lock,
        so a run never waits without saying for whom."""
        self.directory = Path(directory)
        self.on_wait = on_wait
        self.work_path = self.directory / "work" / "pipeline.duckdb"
        self.lock_path = self.directory / "work" / "writer.lock"
        self.published_path = self.directory / PUBLISHED_NAME
        self.oplog = OpLog(self.directory / "work" / "oplog")
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
        started = time.monotonic()
        deadline, notice = started + self.lock_timeout, started + LOCK_NOTICE_SECONDS
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if self.on_wait is not None and time.monotonic() > notice:
                        holder = self.lock_path.read_text(errors="replace").strip() or "unknown"
                        self.on_wait(
                            f"waiting for {self.work_path}: another pipeline process holds it ({holder}); "
                            f"this run goes on when it is done (gives up after {self.lock_timeout:.0f} s)"
                        )
                        notice = deadline
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
        """Exclusive, migrated connection to the working database, with its write log."""
        with self._lock():
            unclean = self.work_path.with_name(self.work_path.name + ".wal").exists()
            try:
                con = connect_for_writing(self.work_path)
            except duckdb.Error as exc:
                raise self._storage_error(exc) or WarehouseError(
                    f"cannot open {self.work_path}: {exc}. If the file is damaged, restore the last published copy "
                    f"(rm -f {self.work_path}.wal; cp {self.published_path} {self.work_path}) and run again: "
                    "inputs read since then are read again"
                ) from exc
            try:
                _open(con)
                if unclean:
                    _rebuild_indexes(con)
                session = Session(con, self.oplog)
                self.oplog.recover(session.log_position())
                _migrate(session)
                yield session
            except (duckdb.Error, OSError) as exc:  # OSError: the write log's files
                storage = self._storage_error(exc)
                if storage is None:
                    raise
                raise storage from exc
            finally:
                con.close()

    # -- publishing ----------------------------------------------------------------------------
    def publish(self, session: Session, *, force: bool = False) -> PublishResult:
        """Make news.duckdb equal the working database, if anything changed since the last publish.

        A standby file (the previously published one, usually) replays the write-log transactions it lacks,
        then is renamed over news.duckdb: the cost follows what changed, not the warehouse's size. Anyone
        holding the old news.duckdb open keeps a consistent snapshot; a standby someone still holds open
        is skipped, and only when no standby is usable is the working file copied in full."""
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
                self.published_path, False, version, time.monotonic() - started, int(stamp.split(":")[0])
            )
        try:
            ready, mode = self._catch_up_standby(session)
            old = self.published_path
            if old.exists():  # the file being replaced becomes the next standby (readers keep their snapshot)
                os.link(old, self._new_standby_path())
            ready.replace(old)
            _fsync_dir(self.directory)
        except OSError as exc:
            hint = "the disk is full" if exc.errno == errno.ENOSPC else exc.strerror
            raise WarehouseError(
                f"could not publish {self.published_path}: {hint}. The previous copy is untouched; free space "
                "or fix permissions, then run again"
            ) from exc
        # Only now does news.duckdb hold this version. Recorded before the copy, a publish killed or failed
        # half-way passed for done, and analysts kept reading the old file until some later change.
        session.set_meta("published_version", str(version))
        session.set_meta("published_at", utcnow().isoformat(timespec="seconds"))
        session.set_meta("published_stamp", self._published_stamp() or "")
        self._prune_standbys_and_log(session)
        size = self.published_path.stat().st_size
        return PublishResult(self.published_path, True, version, time.monotonic() - started, size, mode)

    @property
    def _standby_dir(self) -> Path:
        return self.directory / "work" / "standby"

    def _new_standby_path(self) -> Path:
        self._standby_dir.mkdir(parents=True, exist_ok=True)
        return self._standby_dir / f"{time.time_ns()}-{os.getpid()}.duckdb"

    def _catch_up_standby(self, session: Session) -> tuple[Path, str]:
        """(an up-to-date standby file, 'replayed' or 'copied')."""
        target = session.log_position()
        live = self.published_path.stat().st_ino if self.published_path.exists() else None
        candidates = sorted(self._standby_dir.glob("*.duckdb"), reverse=True) if self._standby_dir.is_dir() else []
        for path in candidates:
            if path.stat().st_ino == live:  # a leftover second name of the live file: never write to it
                path.unlink()
                continue
            try:
                con = connect_for_writing(path)
            except duckdb.Error:
                continue  # held open by a reader (it was published before), or damaged: try another
            try:
                _open(con)
                replica = Session(con)
                if replica.log_position() > target:  # replayed a future the working file no longer has
                    raise LogGap(f"{path.name} is ahead of the working file")
                for seq, ops in self.oplog.between(replica.log_position(), target):
                    with replica.transaction():
                        for op in ops:
                            replica.apply(op)
                        replica.set_log_position(seq)
                con.execute("CHECKPOINT")
            except (LogGap, duckdb.Error):
                con.close()
                path.unlink(missing_ok=True)  # too far behind, or damaged: rebuilt below if none is left
                continue
            con.close()
            return path, "replayed"
        # No usable standby (the first publishes, or every standby is held open): copy the working file.
        session.con.execute("CHECKPOINT")
        path = self._new_standby_path()
        tmp = path.with_suffix(".tmp")
        try:
            shutil.copyfile(self.work_path, tmp)
            with tmp.open("rb+") as handle:
                os.fsync(handle.fileno())
            tmp.replace(path)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        return path, "copied"

    def _prune_standbys_and_log(self, session: Session) -> None:
        """Keep at most MAX_STANDBYS standby files, and the log entries that they and the published file
        (the next standby, once it is replaced) still need."""
        standbys: list[Path] = []
        if self._standby_dir.is_dir():
            for leftover in self._standby_dir.glob("*.tmp"):  # a copy killed half-way
                leftover.unlink(missing_ok=True)
            standbys = sorted(self._standby_dir.glob("*.duckdb"), reverse=True)
            for extra in standbys[MAX_STANDBYS:]:
                extra.unlink(missing_ok=True)  # a reader holding it keeps its snapshot; the name just goes
        positions = [
            position
            for path in [self.published_path, *standbys[:MAX_STANDBYS]]
            if (position := _log_position_of(path)) is not None
        ]
        self.oplog.prune(min(positions, default=session.log_position()))

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


def connect_for_writing(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the file at `path`, attached with ROW_GROUP_SIZE."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {_sql_literal(str(path))} AS warehouse (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
        con.execute("USE warehouse")
    except BaseException:
        con.close()
        raise
    return con


def _rebuild_indexes(con: duckdb.DuckDBPyConnection) -> None:
    """Drop and create again every secondary index, after an unclean shutdown (a write-ahead log left
    behind). DuckDB 1.5.5 can replay the log into an ART index that then misses rows its table holds: after
    a kill -9 between a near-duplicate chunk's COMMIT and the checkpoint, a lookup of article_dups by
    dup_group_id found nothing while a scan found the row, and the index stayed so after checkpoints. A
    rebuild costs a scan of each indexed table, once per crash. Not logged: each file has its own indexes."""
    rows = con.execute(
        "SELECT index_name, sql FROM duckdb_indexes() WHERE database_name = current_database() "
        "AND NOT is_unique AND NOT is_primary ORDER BY index_name"
    ).fetchall()
    for name, sql in rows:
        con.execute(f"DROP INDEX {name}")
        con.execute(sql)


def _log_position_of(path: Path) -> int | None:
    """The write-log position a published or standby file holds (None if it cannot be read)."""
    try:
        con = duckdb.connect(str(path), read_only=True)
    except duckdb.Error:
        return None
    try:
        return int(con.execute("SELECT seq FROM write_log_position").fetchone()[0])
    except duckdb.Error:
        return None
    finally:
        con.close()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _open(con: duckdb.DuckDBPyConnection) -> None:
    """Settings and bookkeeping every warehouse connection needs (working file or standby)."""
    con.execute("SET force_compression = 'zstd'")
    con.execute("SET memory_limit = $limit", {"limit": os.environ.get("NEWS_DUCKDB_MEMORY") or DEFAULT_MEMORY_LIMIT})
    _load_fts(con)
    con.execute(_statement("create_schema_migrations"))


def _load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB's FTS extension from the pinned PyPI package (its stem() is in the search macros). INSTALL
    copies it into DuckDB's extension folder (under a millisecond once it is there), so DuckDB loads it
    when a statement first calls stem(): here, and in the DuckDB CLI when someone searches the published
    file. An explicit LOAD cost 35 ms per session, about a third of opening one, for the few sessions
    that search or index."""
    con.execute(f"INSTALL {_sql_literal(str(fts_extension_path()))}")
    con.execute("SET autoload_known_extensions = true")


def _migrate(session: Session) -> None:
    con = session.con
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
            session._write(text)
            session._write(
                "INSERT INTO schema_migrations VALUES ($version, $name, $checksum, $applied_at)",
                {"version": version, "name": path.stem, "checksum": _checksum(text), "applied_at": utcnow()},
            )
    views = (SQL_DIR / "views.sql").read_text("utf-8")
    if session.meta("views_checksum") != _checksum(views):
        with session.transaction():
            session._write(views)
            _inherit_column_comments(session)
            session.set_meta("views_checksum", _checksum(views))


def _inherit_column_comments(session: Session) -> None:
    """View columns without a comment take the comment of the same column in the table they show,
    so column documentation is written once (in the migration) and never copied by hand."""
    for row in session.rows("inherited_column_comments"):
        view, column = row["view_name"], row["column_name"]
        if _IDENT.match(view) and _IDENT.match(column):
            session._write(f"COMMENT ON COLUMN {view}.{column} IS {_sql_literal(row['comment'])}")
