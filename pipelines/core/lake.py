"""DuckLake connections: the warehouse's second backend, its catalog in PostgreSQL and its data as Parquet files
on a folder or on S3-compatible object storage.

DuckDB reaches both through extensions, and nothing is downloaded at run time: the pinned PyPI packages
duckdb-extension-ducklake, -postgres-scanner, -httpfs and -fts carry the binaries for the pinned DuckDB, and
INSTALL '<path>' copies each into DuckDB's extension folder before LOAD. Many processes may attach the same
lake and commit at once (DuckLake retries a commit whose snapshot conflicts); each reader sees one snapshot.

Credentials never appear in SQL text that is logged or shown: they travel as DuckDB secrets created in memory
per connection (`CREATE SECRET`, not `CREATE PERSISTENT SECRET`), and for the DuckDB CLI in an init file only
its owner can read (see pipelines/cluster).
"""

from __future__ import annotations

import importlib
import os
import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

# extension name → the PyPI package (module) that ships it for the pinned DuckDB.
EXTENSION_PACKAGES = {
    "ducklake": "duckdb_extension_ducklake",
    "postgres_scanner": "duckdb_extension_postgres_scanner",
    "httpfs": "duckdb_extension_httpfs",
    "fts": "duckdb_extension_fts",
}


class LakeError(RuntimeError):
    """The lake cannot be reached or set up; the message says what to do."""


def extension_path(name: str) -> Path:
    """The extension binary shipped by its pinned PyPI package (see EXTENSION_PACKAGES)."""
    try:
        module = importlib.import_module(EXTENSION_PACKAGES[name])
    except ImportError as exc:
        raise LakeError(
            f"the {name} extension's package is not installed: install the cluster extra (`make cluster-up` does)"
        ) from exc
    base = Path(module.__file__).parent / "extensions" / f"v{duckdb.__version__}"
    found = sorted(base.glob(f"{name}.duckdb_extension"))
    if not found:
        raise LakeError(f"no {name} extension for DuckDB {duckdb.__version__} under {base}")
    return found[0]


def search_macro_statements(views_sql: str) -> list[str]:
    """The CREATE statements of search_tokens() and search() in the text of warehouse/views.sql, in order. The
    lake holds both; search() must be created after the tables it reads (a table macro binds them)."""
    statements = re.split(r";\s*\n", views_sql)
    return [s for s in statements if re.search(r"^CREATE OR REPLACE MACRO search(_tokens)?\(", s, re.MULTILINE)]


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


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
    def from_env(cls) -> LakeSettings:
        """NEWS_LAKE_* and NEWS_CLUSTER_PG_* (written by `make cluster-up`; see pipelines/cluster)."""
        env = os.environ
        missing = [
            n for n in ("NEWS_CLUSTER_PG_PORT", "NEWS_CLUSTER_PG_PASSWORD", "NEWS_LAKE_DATA_PATH") if not env.get(n)
        ]
        if missing:
            raise LakeError(f"{', '.join(missing)} not set: start the cluster profile (make cluster-up) first")
        return cls(
            catalog_db=env.get("NEWS_LAKE_CATALOG_DB") or "news_lake",
            pg_host=env.get("NEWS_CLUSTER_PG_HOST") or "127.0.0.1",
            pg_port=int(env["NEWS_CLUSTER_PG_PORT"]),
            pg_user=env.get("NEWS_CLUSTER_PG_USER") or "news",
            pg_password=env["NEWS_CLUSTER_PG_PASSWORD"],
            data_path=env["NEWS_LAKE_DATA_PATH"],
            s3_endpoint=env.get("NEWS_LAKE_S3_ENDPOINT", ""),
            s3_key_id=env.get("NEWS_LAKE_S3_KEY_ID", ""),
            s3_secret=env.get("NEWS_LAKE_S3_SECRET", ""),
        )

    def setup_sql(self, alias: str = "lake", *, read_only: bool = False, snapshot: int | None = None) -> list[str]:
        """Statements that load the extensions, create the connection's secrets and attach the lake as `alias`.
        `snapshot` attaches the lake as it was at that snapshot (time travel; read-only by nature)."""
        # Never fetch an extension from DuckDB's repository: a missing one is an error, not a download.
        statements = ["SET autoinstall_known_extensions = false"]
        for name in EXTENSION_PACKAGES:
            statements.append(f"INSTALL {_literal(str(extension_path(name)))}")
            statements.append(f"LOAD {name}")
        statements.append(
            f"CREATE OR REPLACE SECRET lake_catalog (TYPE postgres, HOST {_literal(self.pg_host)}, "
            f"PORT {int(self.pg_port)}, DATABASE {_literal(self.catalog_db)}, USER {_literal(self.pg_user)}, "
            f"PASSWORD {_literal(self.pg_password)})"
        )
        if self.data_path.startswith("s3://"):
            statements.append(
                f"CREATE OR REPLACE SECRET lake_files (TYPE s3, KEY_ID {_literal(self.s3_key_id)}, "
                f"SECRET {_literal(self.s3_secret)}, ENDPOINT {_literal(self.s3_endpoint)}, "
                f"REGION {_literal(self.s3_region)}, URL_STYLE 'path', USE_SSL {str(self.s3_use_ssl).lower()})"
            )
        options = [
            f"DATA_PATH {_literal(self.data_path)}",
            "METADATA_PARAMETERS MAP {'SECRET': 'lake_catalog'}",
        ]
        if read_only:
            options.append("READ_ONLY")
        if snapshot is not None:
            options.append(f"SNAPSHOT_VERSION {int(snapshot)}")
        statements.append(f"ATTACH 'ducklake:postgres:' AS {alias} ({', '.join(options)})")
        return statements

    def connect(
        self, alias: str = "lake", *, read_only: bool = False, snapshot: int | None = None
    ) -> duckdb.DuckDBPyConnection:
        """An in-memory DuckDB connection with the lake attached as `alias` and made the default database."""
        con = duckdb.connect()
        try:
            for statement in self.setup_sql(alias, read_only=read_only, snapshot=snapshot):
                con.execute(statement)
            con.execute(f"USE {alias}")
        except duckdb.Error as exc:
            con.close()
            raise LakeError(
                f"cannot attach the lake (catalog {self.catalog_db} at {self.pg_host}:{self.pg_port}, "
                f"files at {self.data_path}): {exc}"
            ) from exc
        return con
