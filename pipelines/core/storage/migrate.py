"""Migrations and views, for both backends.

warehouse/migrations/NNN_*.sql are applied in order, once each, and recorded in schema_migrations with a
checksum (an applied migration may not change); warehouse/views.sql is applied again whenever it changes.

The lake takes the same files with what DuckLake refuses taken out (lake_dialect): it has no primary keys,
unique constraints or indexes (keys are kept by the write path: insert_new's anti-join, upsert's
delete-then-insert, and checked by the asset checks), and no comments on view columns or macros.
"""

from __future__ import annotations

import re
from pathlib import Path

from pipelines.core.storage.session import Session
from pipelines.core.storage.sql import (
    SQL_DIR,
    WarehouseError,
    checksum,
    is_identifier,
    split_statements,
    sql_literal,
    statement,
    utcnow,
)

_SKIPPED_ON_LAKE = re.compile(r"^(?:CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+INDEX|COMMENT\s+ON\s+MACRO)\b", re.IGNORECASE)
_TABLE_KEY = re.compile(r",\s*(?:PRIMARY\s+KEY|UNIQUE)\s*\([^)]*\)", re.IGNORECASE)
_COLUMN_KEY = re.compile(r"\s+PRIMARY\s+KEY\b", re.IGNORECASE)
_COLUMN_UNIQUE = re.compile(r"\s+UNIQUE\b(?!\s*\()", re.IGNORECASE)
_VIEW = re.compile(r"CREATE\s+(?:OR\s+REPLACE\s+)?VIEW\s+(\w+)", re.IGNORECASE)
_COLUMN_COMMENT = re.compile(r"COMMENT\s+ON\s+COLUMN\s+(\w+)\.", re.IGNORECASE)


def _code(sql: str) -> str:
    """The statement without its leading comment lines."""
    return "\n".join(line for line in sql.splitlines() if not line.lstrip().startswith("--")).strip()


def lake_dialect(script: str) -> str:
    """`script` as DuckLake takes it: no indexes, keys or unique constraints (a primary key column stays NOT
    NULL), no comments on macros or on the columns of the script's views."""
    kept, views = [], set()
    for sql in split_statements(script):
        code = _code(sql)
        if view := _VIEW.match(code):
            views.add(view.group(1).lower())
        column_of = _COLUMN_COMMENT.match(code)
        if _SKIPPED_ON_LAKE.match(code) or (column_of and column_of.group(1).lower() in views):
            continue
        if re.match(r"CREATE\s+TABLE", code, re.IGNORECASE):
            code = _TABLE_KEY.sub("", code)
            code = _COLUMN_KEY.sub(" NOT NULL", code)
            code = _COLUMN_UNIQUE.sub("", code)
            code = code.replace("NOT NULL NOT NULL", "NOT NULL")
        kept.append(code)
    return "".join(f"{sql};\n" for sql in kept)


# path -> ((mtime, size), text, checksum) of the SQL files read by this process.
_READ: dict[Path, tuple[tuple[int, int], str, str]] = {}


def _read(path: Path) -> tuple[str, str]:
    """(text, checksum) of a migration or the views file. Every session open checks them all against the
    warehouse; they are read and hashed again only when their size or mtime changed, so the check stays a
    few stat calls and an edit is still caught."""
    st = path.stat()
    stamp = (st.st_mtime_ns, st.st_size)
    cached = _READ.get(path)
    if cached is None or cached[0] != stamp:
        text = path.read_text("utf-8")
        cached = _READ[path] = (stamp, text, checksum(text))
    return cached[1], cached[2]


def _migrations() -> list[tuple[int, Path]]:
    return [(int(p.name[:3]), p) for p in sorted((SQL_DIR / "migrations").glob("[0-9][0-9][0-9]_*.sql"))]


def pending_changes(session: Session) -> bool:
    """Whether a migration is missing or was edited, or the views changed."""
    applied = dict(session.con.execute("SELECT version, checksum FROM schema_migrations").fetchall())
    migrations = any(applied.get(v) != _read(p)[1] for v, p in _migrations())
    return migrations or session.meta("views_checksum") != _read(SQL_DIR / "views.sql")[1]


def migrate(session: Session, *, lake: bool = False) -> None:
    """Apply the migrations and views this warehouse lacks, each in its own transaction."""
    con = session.con
    applied = {v: c for v, c in con.execute("SELECT version, checksum FROM schema_migrations").fetchall()}
    for version, path in _migrations():
        text, digest = _read(path)
        if version in applied:
            if applied[version] != digest:
                raise WarehouseError(
                    f"{path.name} changed after it was applied to this warehouse. Migrations are append-only: "
                    "revert the edit and add a new migration"
                )
            continue
        with session.transaction():
            session._execute(lake_dialect(text) if lake else text)
            session._execute(
                "INSERT INTO schema_migrations VALUES ($version, $name, $checksum, $applied_at)",
                {"version": version, "name": path.stem, "checksum": digest, "applied_at": utcnow()},
            )
    views, views_digest = _read(SQL_DIR / "views.sql")
    if session.meta("views_checksum") != views_digest:
        with session.transaction():
            session._execute(lake_dialect(views) if lake else views)
            if not lake:
                _inherit_column_comments(session)
            session.set_meta("views_checksum", views_digest)


def _inherit_column_comments(session: Session) -> None:
    """View columns without a comment take the comment of the same column in the table they show,
    so column documentation is written once (in the migration) and never copied by hand. (DuckLake stores no
    comments on view columns: the lake's views go without.)"""
    for row in session.query("inherited_column_comments"):
        view, column = row["view_name"], row["column_name"]
        if is_identifier(view) and is_identifier(column):
            session._execute(f"COMMENT ON COLUMN {view}.{column} IS {sql_literal(row['comment'])}")


def create_bookkeeping(session: Session, *, lake: bool = False) -> None:
    """schema_migrations, before any migration runs (not logged: see create_schema_migrations.sql)."""
    sql = statement("create_schema_migrations")
    session.con.execute(lake_dialect(sql) if lake else sql)
