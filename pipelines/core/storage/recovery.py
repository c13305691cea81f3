"""Opening a warehouse file that a process left with a write-ahead log (killed, or its last checkpoint failed),
and rebuilding what DuckDB 1.5.5's replay of that log can leave wrong: the indexes, keys included.

The rows DuckDB replays are right; its indexes may not be. A transaction that deletes rows and inserts rows
with the same keys, at least one row group of them (ROW_GROUP_SIZE, so any upsert of 4,096 rows or more), is
logged as pointers to the row groups it wrote; replaying that entry leaves the primary-key index pointing
at the deleted rows (duckdb/duckdb#24744; DuckDB 1.5.6 replays it right). From then on a lookup by key
finds nothing, an insert of a key already stored is accepted (a duplicate article, two dup-group rows for
one article), and a delete of such a row invalidates the database ("Failed to delete all rows from
index"). The same replay once left the secondary index article_dups_group missing a row. No read can see
the damage (a scan is right, and an INSERT … ON CONFLICT probe finds the stale keys), so after an unclean
open every keyed table and every indexed one is copied into a fresh table, its indexes created on the
copy, then checkpointed. A transaction that creates a table and fills it deletes nothing from it, so if
the repair is itself killed the next open replays what it committed soundly, and repairs again.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from pipelines.core.storage.sql import sql_literal

_KEYED_TABLES = """
    SELECT DISTINCT table_name FROM duckdb_constraints()
    WHERE database_name = current_database() AND schema_name = 'main'
      AND constraint_type IN ('PRIMARY KEY', 'UNIQUE')
    ORDER BY table_name
"""
_INDEXES = """
    SELECT index_name, table_name, sql, comment FROM duckdb_indexes()
    WHERE database_name = current_database() AND schema_name = 'main' ORDER BY index_name
"""


def wal_path(path: Path) -> Path:
    """The write-ahead log DuckDB keeps beside a database file until it checkpoints."""
    return path.with_name(path.name + ".wal")


def hold_checkpoints(con: duckdb.DuckDBPyConnection) -> None:
    """No automatic checkpoint until rebuild_keys_and_indexes ends with its own. The write-ahead log is the
    only mark that a repair is due: DuckDB checkpoints on any commit once the log passes
    checkpoint_threshold (a log left near it, or the repair's full copies of small tables), deleting the
    log, and a process killed after that left the tables not yet copied wrong with nothing to say so."""
    con.execute("SET checkpoint_threshold = '1000TB'")


def rebuild_keys_and_indexes(con: duckdb.DuckDBPyConnection) -> None:
    """Copy every table with a key or an index into a fresh table of the same definition and comments, its
    indexes created on the copy, and checkpoint.

    Each table in its own transaction, and never DROP INDEX then CREATE INDEX of the same name in one: on a
    file it has just replayed, DuckDB 1.5.5 aborts the process ("pure virtual method called") committing
    that, and committing all the copies at once. Dropping the table drops its indexes, so a kill between
    two tables loses no index definition; the log is still there and the next open repairs again. Not
    logged in the write log: each file has its own indexes."""
    tables = {row[0] for row in con.execute(_KEYED_TABLES).fetchall()}
    indexes: dict[str, list[tuple[str, str, str | None]]] = {}
    for name, table, sql, comment in con.execute(_INDEXES).fetchall():
        indexes.setdefault(table, []).append((name, sql, comment))
    for table in sorted(tables | set(indexes)):
        con.execute("BEGIN TRANSACTION")
        try:
            _copy_into_fresh_table(con, table)
            for name, sql, comment in indexes.get(table, []):
                con.execute(sql)
                if comment is not None:
                    con.execute(f'COMMENT ON INDEX "{name}" IS {sql_literal(comment)}')
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    con.execute("CHECKPOINT")
    con.execute("RESET checkpoint_threshold")


def _copy_into_fresh_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Create `table` again from its own definition and rows: its key index is then built from the rows."""
    ddl, comment = con.execute(
        "SELECT sql, comment FROM duckdb_tables() "
        "WHERE database_name = current_database() AND schema_name = 'main' AND table_name = ?",
        [table],
    ).fetchone()
    columns = con.execute(
        "SELECT column_name, comment FROM duckdb_columns() WHERE database_name = current_database() "
        "AND schema_name = 'main' AND table_name = ? AND comment IS NOT NULL",
        [table],
    ).fetchall()
    held = f"{table}__rows_before_rebuild"
    con.execute(f'CREATE TABLE "{held}" AS SELECT * FROM "{table}"')
    con.execute(f'DROP TABLE "{table}"')
    con.execute(ddl)
    con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM "{held}"')
    con.execute(f'DROP TABLE "{held}"')
    if comment is not None:
        con.execute(f'COMMENT ON TABLE "{table}" IS {sql_literal(comment)}')
    for column, text in columns:
        con.execute(f'COMMENT ON COLUMN "{table}"."{column}" IS {sql_literal(text)}')
