"""A working file left with a write-ahead log: by a process killed after a COMMIT, or by a session whose
database outlived its close. The next session must find every key where it is, and refuse a duplicate."""

import multiprocessing
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from pipelines.core.settings import PROJECT_ROOT
from pipelines.core.storage import embedded, recovery
from pipelines.core.storage.embedded import ROW_GROUP_SIZE, EmbeddedWarehouse
from pipelines.core.storage.recovery import wal_path

# One row group and more: DuckDB then logs the insert as pointers to row groups it already wrote.
ROWS = ROW_GROUP_SIZE + 100


def _meta_rows(value: str) -> list[dict[str, str]]:
    return [{"key": f"k{i}", "value": value} for i in range(ROWS)]


def _upsert_then_die(directory: str) -> None:
    """Commit an upsert of every key, then end the process the way a kill does: no checkpoint, no close."""
    with EmbeddedWarehouse(Path(directory)).session() as session:
        session.upsert("warehouse_meta", _meta_rows("new"), ["key"])
        os._exit(0)


def test_keys_are_whole_after_a_process_died_between_commit_and_checkpoint(tmp_path: Path) -> None:
    warehouse = EmbeddedWarehouse(tmp_path)
    with warehouse.session() as session:
        session.upsert("warehouse_meta", _meta_rows("old"), ["key"])
        before = session.con.execute("SELECT count(*) FROM warehouse_meta").fetchone()[0]
    child = multiprocessing.get_context("spawn").Process(target=_upsert_then_die, args=(str(tmp_path),))
    child.start()
    child.join(120)
    assert child.exitcode == 0
    assert wal_path(warehouse.work_path).exists()  # the committed upsert is only in the log

    with warehouse.session() as session:
        con = session.con
        assert con.execute("SELECT count(*) FROM warehouse_meta").fetchone()[0] == before
        # A lookup by key goes through the primary-key index: replayed as is, it pointed at the deleted rows.
        assert con.execute("SELECT value FROM warehouse_meta WHERE key = 'k0'").fetchall() == [("new",)]
        assert con.execute("SELECT value FROM warehouse_meta WHERE key = ?", [f"k{ROWS - 1}"]).fetchall() == [("new",)]
        with pytest.raises(duckdb.ConstraintException):
            con.execute("INSERT INTO warehouse_meta VALUES ('k0', 'duplicate')")
        session.upsert("warehouse_meta", [{"key": "k1", "value": "again"}], ["key"])  # a delete through the index
        # The tables were made again with their comments.
        uncommented = con.execute(
            "SELECT count(*) FROM duckdb_columns() WHERE database_name = current_database() "
            "AND schema_name = 'main' AND NOT internal AND comment IS NULL"
        ).fetchone()[0]
        assert uncommented == 0
    assert not wal_path(warehouse.work_path).exists()


def _die_while_repairing(directory: str) -> None:
    """Open the unclean file as a session does, on a connection set to checkpoint at its first commit (as
    DuckDB does once a log passes checkpoint_threshold, 16 MB: a log left near it, or the repair's own copies
    of small tables), and die once the repair has copied its first table."""
    connect, copy, copied = embedded.connect_for_writing, recovery._copy_into_fresh_table, []

    def connect_with_low_threshold(path: Path) -> duckdb.DuckDBPyConnection:
        con = connect(path)
        con.execute("SET checkpoint_threshold = '1KB'")
        return con

    def copy_then_die(con: duckdb.DuckDBPyConnection, table: str) -> None:
        if copied:
            os._exit(0)
        copied.append(table)
        copy(con, table)

    embedded.connect_for_writing = connect_with_low_threshold
    recovery._copy_into_fresh_table = copy_then_die
    with EmbeddedWarehouse(Path(directory)).session():
        pass


def test_keys_are_whole_after_the_repair_itself_was_killed(tmp_path: Path) -> None:
    warehouse = EmbeddedWarehouse(tmp_path)
    with warehouse.session() as session:
        session.upsert("warehouse_meta", _meta_rows("old"), ["key"])
    spawn = multiprocessing.get_context("spawn")
    for target in (_upsert_then_die, _die_while_repairing):
        child = spawn.Process(target=target, args=(str(tmp_path),))
        child.start()
        child.join(120)
        assert child.exitcode == 0

    with warehouse.session() as session:
        assert session.con.execute("SELECT value FROM warehouse_meta WHERE key = 'k0'").fetchall() == [("new",)]
        with pytest.raises(duckdb.ConstraintException):
            session.con.execute("INSERT INTO warehouse_meta VALUES ('k0', 'duplicate')")


_KEEP_A_RESULT_OPEN = """
import sys
from pathlib import Path
from pipelines.core.storage.embedded import EmbeddedWarehouse
from pipelines.core.storage.recovery import wal_path

warehouse = EmbeddedWarehouse(Path(sys.argv[1]))
with warehouse.session() as session:
    session.upsert("warehouse_meta", [{"key": "k", "value": "v"}], ["key"])
    kept = session.con.execute("SELECT * FROM warehouse_meta").to_arrow_reader(100)  # outlives the session
print(wal_path(warehouse.work_path).exists())
raise SystemExit(0)
"""


def test_a_session_that_ends_leaves_no_write_ahead_log(tmp_path: Path) -> None:
    """Another process may take the lock as soon as a session ends: whatever still holds the database open
    in this one (a streaming result kept past the session), the changes are in the file, not in a log."""
    done = subprocess.run(
        [sys.executable, "-c", _KEEP_A_RESULT_OPEN, str(tmp_path)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip() == "False", "a write-ahead log was left when the session ended"
    assert not wal_path(EmbeddedWarehouse(tmp_path).work_path).exists()


def test_the_schema_has_nothing_the_repair_cannot_copy(tmp_path: Path) -> None:
    """The repair drops each keyed table and fills a fresh one from a copy of its rows. A foreign key (the
    referenced table cannot be dropped) or a generated column (INSERT refuses it) would make every open of
    an unclean file fail the same way, run after run: a migration adding either must change recovery.py."""
    with EmbeddedWarehouse(tmp_path).session() as session:
        con = session.con
        foreign = con.execute(
            "SELECT table_name FROM duckdb_constraints() WHERE database_name = current_database() "
            "AND constraint_type = 'FOREIGN KEY'"
        ).fetchall()
        generated = con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() "
            "AND sql ILIKE '%GENERATED ALWAYS%'"
        ).fetchall()
        tables = con.execute(
            "SELECT count(*) FROM duckdb_tables() WHERE database_name = current_database() AND NOT internal"
        ).fetchone()[0]
    assert tables > 20  # the migrated warehouse, not an empty file
    assert foreign == []
    assert generated == []
