"""The embedded backend (the default): a DuckDB working file written by one process at a time, and the
analysts' copy news.duckdb published from it.

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
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from pipelines.core.atomic_files import fsync_dir
from pipelines.core.storage.migrate import create_bookkeeping, migrate
from pipelines.core.storage.oplog import LogGap, OpLog
from pipelines.core.storage.recovery import hold_checkpoints, rebuild_keys_and_indexes, wal_path
from pipelines.core.storage.session import NotPublished, Op, PublishResult, Session, Storage, WarehouseBusy
from pipelines.core.storage.sql import (
    WarehouseError,
    fts_extension_path,
    set_memory_limit,
    sql_literal,
    statement,
    unreplayable,
    utcnow,
)

PUBLISHED_NAME = "news.duckdb"
# Standby copies kept for publishing: the one readers most likely hold, plus spares.
MAX_STANDBYS = 3
# Rows per row group in files the pipeline writes. DuckDB rewrites a table's last, partly filled row
# group at every checkpoint; with the default (122,880 rows) that group holds a 100k-article warehouse's
# every parse and text, so each small run paid for rewriting them all (a second per checkpoint at 100k).
# Small groups keep the rewrite to the newest few thousand rows, whatever the warehouse's size.
ROW_GROUP_SIZE = 4096
# A session waiting this long for another process's lock says so (EmbeddedWarehouse.on_wait).
LOCK_NOTICE_SECONDS = 5.0
_held = threading.local()


class EmbeddedSession(Session):
    """A session on a warehouse file. On the working file every committed transaction is also staged in the
    write log (oplog.py) before COMMIT and marked committed after it, so a standby copy can replay it."""

    def __init__(self, con: duckdb.DuckDBPyConnection, oplog: OpLog | None = None) -> None:
        super().__init__(con)
        self._oplog = oplog

    def _writes_need_transaction(self) -> bool:
        return self._oplog is not None

    def _execute(self, sql: str, params: dict | None = None, relations: dict | None = None) -> None:
        """A logged write must give the same result when a standby replays it: the log refuses what would not."""
        if self._oplog is not None and (call := unreplayable(sql)):
            raise WarehouseError(
                f"a write calling {call} cannot be replayed on a standby copy with the same result: pass the "
                f"value as a parameter instead ({sql.strip().splitlines()[0][:80]})"
            )
        super()._execute(sql, params, relations)

    def _commit(self, ops: list[Op]) -> None:
        if not ops or self._oplog is None:
            self.con.execute("COMMIT")
            return
        staged = self.log_position() + 1
        try:
            self.set_log_position(staged)
            self._oplog.stage(staged, ops)
            self.con.execute("COMMIT")
        except BaseException:
            self._oplog.discard(staged)
            raise
        self._oplog.commit(staged)

    def apply(self, op: Op) -> None:
        """Replay a logged write (on a standby: no log of its own)."""
        self._execute(op.sql, op.params, op.relations)

    def log_position(self) -> int:
        return int(self.con.execute("SELECT seq FROM write_log_position").fetchone()[0])

    def set_log_position(self, seq: int) -> None:
        """Not logged: each file keeps its own position (see create_write_log_position.sql)."""
        self.con.execute("UPDATE write_log_position SET seq = ?", [seq])


class EmbeddedWarehouse(Storage):
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

    @property
    def published_location(self) -> str:
        return str(self.published_path)

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
    def session(self, *, exclusive: bool = False) -> Iterator[EmbeddedSession]:
        """Exclusive, migrated connection to the working database, with its write log (every session holds the
        file's lock, whatever `exclusive` says)."""
        with self._lock():
            unclean = wal_path(self.work_path).exists()
            try:
                con = connect_for_writing(self.work_path)
            except duckdb.Error as exc:
                raise self._storage_error(exc) or WarehouseError(
                    f"cannot open {self.work_path}: {exc}. If the file is damaged, restore the last published copy "
                    f"(rm -f {self.work_path}.wal; cp {self.published_path} {self.work_path}) and run again: "
                    "inputs read since then are read again"
                ) from exc
            try:
                session = EmbeddedSession(con, self.oplog)
                _open(session, unclean=unclean)
                self.oplog.recover(session.log_position())
                migrate(session)
                yield session
                # Checkpointed here, while this process holds the lock: DuckDB checkpoints on close only when
                # nothing else (a streaming result someone kept) holds the database open, and swallows any
                # error in that checkpoint, leaving the log for the next session to replay (see recovery.py).
                con.execute("CHECKPOINT")
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
        assert isinstance(session, EmbeddedSession)
        started = time.monotonic()
        version = session.data_version()
        stamp = self._published_stamp()
        unchanged = (
            stamp is not None
            and stamp == session.meta("published_stamp")
            and session.meta("published_version") == str(version)
        )
        if unchanged and not force:
            return PublishResult(
                self.published_location, False, version, time.monotonic() - started, int(stamp.split(":")[0])
            )
        try:
            ready, mode = self._catch_up_standby(session)
            old = self.published_path
            if old.exists():  # the file being replaced becomes the next standby (readers keep their snapshot)
                os.link(old, self._new_standby_path())
            ready.replace(old)
            fsync_dir(self.directory)
            fsync_dir(self._standby_dir)  # the old file's new name there, the ready standby's name gone
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
        return PublishResult(self.published_location, True, version, time.monotonic() - started, size, mode)

    @property
    def _standby_dir(self) -> Path:
        return self.directory / "work" / "standby"

    def _new_standby_path(self) -> Path:
        self._standby_dir.mkdir(parents=True, exist_ok=True)
        return self._standby_dir / f"{time.time_ns()}-{os.getpid()}.duckdb"

    def _catch_up_standby(self, session: EmbeddedSession) -> tuple[Path, str]:
        """(an up-to-date standby file, 'replayed' or 'copied')."""
        target = session.log_position()
        live = self.published_path.stat().st_ino if self.published_path.exists() else None
        candidates = sorted(self._standby_dir.glob("*.duckdb"), reverse=True) if self._standby_dir.is_dir() else []
        for path in candidates:
            if path.stat().st_ino == live:  # a leftover second name of the live file: never write to it
                path.unlink()
                continue
            unclean = wal_path(path).exists()  # a publish killed while replaying into it
            try:
                con = connect_for_writing(path)
            except duckdb.Error:
                continue  # held open by a reader (it was published before), or damaged: try another
            try:
                replica = EmbeddedSession(con)
                _open(replica, unclean=unclean)
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
            fsync_dir(path.parent)
        except OSError:
            tmp.unlink(missing_ok=True)
            raise
        return path, "copied"

    def _prune_standbys_and_log(self, session: EmbeddedSession) -> None:
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
            raise NotPublished(f"{self.published_path} does not exist yet: run `make run` first")
        return duckdb.connect(str(self.published_path), read_only=True)


def connect_for_writing(path: Path) -> duckdb.DuckDBPyConnection:
    """A connection whose default database is the file at `path`, attached with ROW_GROUP_SIZE."""
    con = duckdb.connect()
    try:
        con.execute(f"ATTACH {sql_literal(str(path))} AS warehouse (ROW_GROUP_SIZE {ROW_GROUP_SIZE})")
        con.execute("USE warehouse")
    except BaseException:
        con.close()
        raise
    return con


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


def _open(session: EmbeddedSession, *, unclean: bool) -> None:
    """Settings and bookkeeping every warehouse file's connection needs (working file or standby), and the
    repair of its keys if it was left with a write-ahead log (`unclean`, seen before it was opened)."""
    con = session.con
    if unclean:
        hold_checkpoints(con)  # before the first commit here: the log marks the repair until it is done
    con.execute("SET force_compression = 'zstd'")
    set_memory_limit(con)
    load_fts(con)
    create_bookkeeping(session)
    con.execute(statement("create_write_log_position"))
    if unclean:
        rebuild_keys_and_indexes(con)


def load_fts(con: duckdb.DuckDBPyConnection) -> None:
    """DuckDB's FTS extension from the pinned PyPI package (its stem() is in the search macros). INSTALL
    copies it into DuckDB's extension folder (under a millisecond once it is there), so DuckDB loads it
    when a statement first calls stem(): here, and in the DuckDB CLI when someone searches the published
    file. An explicit LOAD cost 35 ms per session, about a third of opening one, for the few sessions
    that search or index."""
    con.execute(f"INSTALL {sql_literal(str(fts_extension_path()))}")
    con.execute("SET autoload_known_extensions = true")
