"""The lake backend: a DuckLake warehouse, its catalog in PostgreSQL and its data as Parquet files on a folder or
on S3-compatible object storage, chosen by NEWS_WAREHOUSE_URL=ducklake:postgres://USER@HOST:PORT/DB?data_path=…

DuckDB reaches both through extensions, and nothing is downloaded at run time: the pinned PyPI packages
duckdb-extension-ducklake, -postgres-scanner, -httpfs and -fts carry the binaries for the pinned DuckDB, and
INSTALL '<path>' copies each into DuckDB's extension folder before LOAD.

What changes against the embedded file:
- Many processes write at once, each committing its own snapshots; readers see one snapshot per transaction.
  There is no lock, no write log and no copy to publish: publishing records the snapshot analysts read
  (`published_snapshot` in warehouse_meta), and read_published() attaches the lake at it.
- DuckLake has no primary keys, unique constraints or indexes (migrate.lake_dialect drops them): keys are kept
  by the write path (insert_new is an anti-join, upsert a delete-then-insert in one transaction) and verified by
  the asset checks; joins the embedded file answers from an index scan the lake's Parquet files instead.
- Two transactions conflict when one deletes from a table the other also changes (DuckLake settles concurrent
  appends itself). A transaction that lost such a race is redone: its writes, recorded as it ran, are applied
  again on the new snapshot and committed (up to MAX_REDOS times). That is sound only for writes that were not
  computed from what the same transaction read, so a transaction that read after it began is not redone: the
  conflict is raised (WriteConflict) and the step fails and is retried whole, which the stages allow (they find
  their work by state). Table ownership keeps conflicts rare: each table has one writing stage, per-batch stages
  touch only their batch's rows, and shared bookkeeping (data_changes) is append-only.

Credentials never appear in SQL text that is logged or shown: they travel as DuckDB secrets created in memory
per connection (`CREATE SECRET`, not `CREATE PERSISTENT SECRET`), and for the DuckDB CLI in an init file only
its owner can read (see pipelines/cluster).
"""

from __future__ import annotations

import contextlib
import importlib
import os
import random
import re
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import duckdb

from pipelines.core.storage.migrate import create_bookkeeping, migrate, pending_changes
from pipelines.core.storage.session import NotPublished, Op, PublishResult, Session, Storage, WriteConflict
from pipelines.core.storage.sql import WarehouseError, set_memory_limit, split_statements, sql_literal, utcnow

# extension name → the PyPI package (module) that ships it for the pinned DuckDB.
EXTENSION_PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "httpfs": "duckdb_extension_httpfs",
    "fts": "duckdb_extension_fts",
}
URL_PREFIX = "ducklake:postgres://"
ALIAS = "lake"
# A transaction that lost a commit race is redone at most this many times, after a short, growing, random wait.
MAX_REDOS = 8
# Any number both processes agree on: the PostgreSQL advisory lock held while one of them migrates the lake.
MIGRATION_LOCK = 0x6E657773  # "news"
# The advisory lock an exclusive session (a global stage) holds: such stages take turns across processes.
GLOBAL_STAGES_LOCK = 0x6E657774


class LakeError(WarehouseError):
    """The lake cannot be reached or set up; the message says what to do."""


def extension_path(name: str) -> Path:
    """The extension binary shipped by its pinned PyPI package (see EXTENSION_PACKAGES)."""
    try:
        module = importlib.import_module(EXTENSION_PACKAGES[name])
    except ImportError as exc:
        raise LakeError(
            f"the {name} extension's package is not installed: install the cluster extra (`make cluster-deps`)"
        ) from exc
    base = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    found = sorted(base.glob(f"{name}.duckdb_extension"))
    if not found:
        raise LakeError(f"no {name} extension for DuckDB {duckdb.__version__} under {base}")
    return found[0]


@dataclass(frozen=True)
class LakeSettings:
    """Where the lake's catalog and files are. `data_path` is a folder or s3://bucket/prefix/; the s3_* fields
    matter only for the latter (an S3-compatible server: endpoint host:port, path-style URLs)."""

    catalog_db: str
    pg_host: str
    pg_port: int
    pg_user: str
    pg_password: str
    data_path: str
    s3_endpoint: str = ""
    s3_key_id: str = ""
    s3_secret: str = ""
    s3_region: str = "us-east-1"
    s3_use_ssl: bool = False

    @classmethod
    def from_url(cls, url: str, env: Mapping[str, str] | None = None) -> LakeSettings:
        """ducklake:postgres://USER[:PASSWORD]@HOST[:PORT]/DB?data_path=FOLDER_OR_S3_URL. The password may come
        from NEWS_LAKE_PASSWORD instead (better: the URL is shown in logs), S3 credentials from NEWS_LAKE_S3_*."""
        env = os.environ if env is None else env
        if not url.startswith(URL_PREFIX):
            raise LakeError(
                f"NEWS_WAREHOUSE_URL={url!r} is not a lake: ducklake:postgres://USER@HOST:PORT/DB?data_path=…"
            )
        parts = urlsplit(url.removeprefix("ducklake:"))
        data_path = parse_qs(parts.query).get("data_path", [""])[0]
        missing = [
            name for name, value in (("a database", parts.path.strip("/")), ("data_path", data_path)) if not value
        ]
        if missing or not parts.hostname or not parts.username:
            lacks = ", ".join(missing) or "a user and host"
            raise LakeError(f"NEWS_WAREHOUSE_URL lacks {lacks}: {URL_PREFIX}USER@HOST:PORT/DB?data_path=…")
        return cls(
            catalog_db=parts.path.strip("/"),
            pg_host=parts.hostname,
            pg_port=parts.port or 5432,
            pg_user=unquote(parts.username),
            pg_password=unquote(parts.password or "") or env.get("NEWS_LAKE_PASSWORD", ""),
            data_path=data_path,
            s3_endpoint=env.get("NEWS_LAKE_S3_ENDPOINT", ""),
            s3_key_id=env.get("NEWS_LAKE_S3_KEY_ID", ""),
            s3_secret=env.get("NEWS_LAKE_S3_SECRET", ""),
            s3_use_ssl=env.get("NEWS_LAKE_S3_USE_SSL", "") in ("1", "true"),
        )

    @classmethod
    def from_env(cls) -> LakeSettings:
        """The lake NEWS_WAREHOUSE_URL names (`make cluster-env` sets it)."""
        url = os.environ.get("NEWS_WAREHOUSE_URL", "")
        if not url:
            raise LakeError("NEWS_WAREHOUSE_URL is not set: start the cluster profile (make cluster-up) first")
        return cls.from_url(url)

    @property
    def url(self) -> str:
        """The lake's NEWS_WAREHOUSE_URL (no password: that travels in NEWS_LAKE_PASSWORD)."""
        return f"{URL_PREFIX}{self.pg_user}@{self.pg_host}:{self.pg_port}/{self.catalog_db}?data_path={self.data_path}"

    def describe(self) -> str:
        return f"lake {self.catalog_db} at {self.pg_host}:{self.pg_port}, files at {self.data_path}"

    def setup_sql(self, alias: str = ALIAS, *, read_only: bool = False, snapshot: int | None = None) -> list[str]:
        """Statements that load the extensions, create the connection's secrets and attach the lake as `alias`.
        `snapshot` attaches the lake as it was at that snapshot (time travel; read-only by nature)."""
        # Never fetch an extension from DuckDB's repository: a missing one is an error, not a download.
        statements = ["SET autoinstall_known_extensions = false"]
        for name in EXTENSION_PACKAGES:
            statements.append(f"INSTALL {sql_literal(str(extension_path(name)))}")
            statements.append(f"LOAD {name}")
        statements.append(
            f"CREATE OR REPLACE SECRET lake_catalog (TYPE postgres, HOST {sql_literal(self.pg_host)}, "
            f"PORT {int(self.pg_port)}, DATABASE {sql_literal(self.catalog_db)}, USER {sql_literal(self.pg_user)}, "
            f"PASSWORD {sql_literal(self.pg_password)})"
        )
        if self.data_path.startswith("s3://"):
            statements.append(
                f"CREATE OR REPLACE SECRET lake_files (TYPE s3, KEY_ID {sql_literal(self.s3_key_id)}, "
                f"SECRET {sql_literal(self.s3_secret)}, ENDPOINT {sql_literal(self.s3_endpoint)}, "
                f"REGION {sql_literal(self.s3_region)}, URL_STYLE 'path', USE_SSL {str(self.s3_use_ssl).lower()})"
            )
        options = [
            f"DATA_PATH {sql_literal(self.data_path)}",
            "METADATA_PARAMETERS MAP {'SECRET': 'lake_catalog'}",
        ]
        if read_only:
            options.append("READ_ONLY")
        if snapshot is not None:
            options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
        statements.append(f"ATTACH 'ducklake:postgres:' AS {alias} ({', '.join(options)})")
        return statements

    def connect(
        self, alias: str = ALIAS, *, read_only: bool = False, snapshot: int | None = None
    ) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with the lake attached as `alias` and made the default database."""
        con = duckdb.connect()
        try:
            for sql in self.setup_sql(alias, read_only=read_only, snapshot=snapshot):
                con.execute(sql)
            con.execute(f"USE {alias}")
        except duckdb.Error as exc:
            con.close()
            raise LakeError(f"cannot attach the {self.describe()}: {exc}") from exc
        return con

    @contextlib.contextmanager
    def advisory_lock(self, key: int, on_wait: Callable[[str], None] | None = None) -> Iterator[None]:
        """A PostgreSQL advisory lock on the catalog's server, held for the block (released if we die).
        `on_wait` is told when another session holds it, before this one waits for it."""
        import psycopg2

        pg = psycopg2.connect(
            host=self.pg_host, port=self.pg_port, user=self.pg_user, password=self.pg_password, dbname=self.catalog_db
        )
        try:
            pg.autocommit = True
            with pg.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
                if not cursor.fetchone()[0]:
                    if on_wait is not None:
                        on_wait(f"waiting for another process's global stage on the {self.describe()} to finish")
                    cursor.execute("SELECT pg_advisory_lock(%s)", [key])
            yield
        finally:
            pg.close()  # ends the session, which releases its advisory locks


def is_conflict(exc: duckdb.Error) -> bool:
    return isinstance(exc, duckdb.TransactionException) and "conflict" in str(exc).lower()


class LakeSession(Session):
    """A session on the lake. Every write runs in a transaction, so a commit that loses a race can be redone."""

    def __init__(self, con: duckdb.DuckDBPyConnection, on_notice: Callable[[str], None] | None = None) -> None:
        super().__init__(con)
        self.on_notice = on_notice
        self.redone = 0  # transactions redone after losing a commit race (counted for the stage's report)

    def _writes_need_transaction(self) -> bool:
        return True

    def _commit(self, ops: list[Op]) -> None:
        for attempt in range(1, MAX_REDOS + 2):
            try:
                self.con.execute("COMMIT")
                return
            except duckdb.Error as exc:
                if not is_conflict(exc):
                    raise
                if self._read_in_transaction or attempt > MAX_REDOS:
                    why = "it read inside the transaction" if self._read_in_transaction else f"{MAX_REDOS} redos"
                    raise WriteConflict(
                        f"a concurrent writer changed what this transaction changes, and it cannot be redone ({why}): "
                        f"{str(exc).splitlines()[-1]}. Run the step again: it finds its work by state"
                    ) from exc
                self.redone += 1
                if self.on_notice is not None:
                    self.on_notice(f"lake commit lost a race with another writer; redoing it (attempt {attempt + 1})")
                time.sleep(random.uniform(0.05, 0.2) * attempt)
                self.con.execute("BEGIN TRANSACTION")  # a failed COMMIT has ended the transaction
                for op in ops:
                    self._run_op(op)


class LakeWarehouse(Storage):
    """Sessions on a DuckLake warehouse; `directory` holds the local files (brief, reports)."""

    def __init__(self, settings: LakeSettings, directory: Path, on_notice: Callable[[str], None] | None = None) -> None:
        self.settings = settings
        self.directory = Path(directory)
        self.on_notice = on_notice

    @property
    def published_location(self) -> str:
        return self.settings.describe()

    def _connect(self, *, read_only: bool = False, snapshot: int | None = None) -> duckdb.DuckDBPyConnection:
        con = self.settings.connect(read_only=read_only, snapshot=snapshot)
        set_memory_limit(con)
        return con

    @contextlib.contextmanager
    def session(self, *, exclusive: bool = False) -> Iterator[LakeSession]:
        """A migrated session on the lake (processes migrating a new lake at once take turns). An exclusive one
        holds the global stages' advisory lock: Dagster's pool global_stages makes those steps take turns only
        among runs of one instance, and two runs that do not share one (two CLI runs with their own
        DAGSTER_HOME, in-process runs) grouped the same new articles at once, each member row then twice."""
        with self.settings.advisory_lock(GLOBAL_STAGES_LOCK, self.on_notice) if exclusive else contextlib.nullcontext():
            con = self._connect()
            try:
                session = LakeSession(con, self.on_notice)
                if not self._migrated(session):
                    with self.settings.advisory_lock(MIGRATION_LOCK):
                        create_bookkeeping(session, lake=True)
                        migrate(session, lake=True)
                yield session
            finally:
                con.close()

    @staticmethod
    def _migrated(session: LakeSession) -> bool:
        """Whether every migration and the current views are in the lake (the cheap check each session makes)."""
        try:
            return not pending_changes(session)
        except duckdb.CatalogException:
            return False  # a new lake: not even schema_migrations

    def publish(self, session: Session, *, force: bool = False) -> PublishResult:
        """Record the lake's current snapshot as the one analysts read, if anything changed since the last time.
        Nothing is copied: the snapshot is already there, and older ones stay readable."""
        started = time.monotonic()
        version = session.data_version()
        if not force and session.meta("published_version") == str(version):
            return PublishResult(self.published_location, False, version, time.monotonic() - started, 0)
        snapshot = current_snapshot(session.con)
        with session.transaction():
            session.set_meta("published_snapshot", str(snapshot))
            session.set_meta("published_version", str(version))
            session.set_meta("published_at", utcnow().isoformat(timespec="seconds"))
        where = f"{self.published_location}, snapshot {snapshot}"
        return PublishResult(where, True, version, time.monotonic() - started, 0, "snapshot")

    def published_snapshot(self) -> int:
        """The snapshot analysts read (the last one publish recorded)."""
        con = self._connect(read_only=True)
        try:
            row = con.execute("SELECT value FROM warehouse_meta WHERE key = 'published_snapshot'").fetchone()
        except duckdb.CatalogException:
            row = None
        finally:
            con.close()
        if row is None:
            raise NotPublished(f"the {self.published_location} has not been published yet: run the pipeline first")
        return int(row[0])

    def read_published(self) -> duckdb.DuckDBPyConnection:
        """The lake as it was at the published snapshot, read-only: whole runs, whatever commits meanwhile."""
        return self._connect(read_only=True, snapshot=self.published_snapshot())


def current_snapshot(con: duckdb.DuckDBPyConnection, alias: str = ALIAS) -> int:
    """The id of the newest snapshot committed to the lake attached as `alias`."""
    return int(con.execute(f"SELECT max(snapshot_id) FROM ducklake_snapshots({sql_literal(alias)})").fetchone()[0])


def search_macro_statements(views_sql: str) -> list[str]:
    """The CREATE statements of search_tokens() and search() in the text of warehouse/views.sql, in order (for
    `make bench ONLY=lake`, which builds a search index outside the pipeline)."""
    return [
        sql
        for sql in split_statements(views_sql)
        if re.search(r"^CREATE OR REPLACE MACRO search(_tokens)?\(", sql, re.MULTILINE)
    ]
