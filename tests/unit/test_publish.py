"""The write log and publishing by replay onto standby copies."""

from __future__ import annotations

import errno
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pytest

from pipelines.core.settings import PROJECT_ROOT
from pipelines.core.storage import WarehouseError, embedded
from pipelines.core.storage.embedded import MAX_STANDBYS, EmbeddedWarehouse
from pipelines.core.storage.oplog import LogGap, Op, OpLog

BOOKKEEPING = {"write_log_position", "warehouse_meta"}


def _tables(path: Path) -> dict[str, list[str]]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        names = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE NOT internal AND schema_name = 'main'"
            ).fetchall()
        ]
        return {
            t: sorted(map(repr, con.execute(f'SELECT * FROM "{t}"').fetchall())) for t in names if t not in BOOKKEEPING
        }
    finally:
        con.close()


def _write_and_publish(warehouse: EmbeddedWarehouse, marker: str) -> str:
    with warehouse.session() as s:
        s.upsert("warehouse_meta", [{"key": f"m-{marker}", "value": marker}], ["key"])
        s.insert(
            "rejects",
            [
                {
                    "reject_id": marker,
                    "document_id": "d",
                    "batch_key": "seeds-00",
                    "stage": "read",
                    "reason": f"row {marker}",
                    "uri": "x",
                    "rejected_at": datetime(2026, 1, 1),
                }
            ],
        )
        s.bump_data_version("test")
        return warehouse.publish(s).mode


def test_log_round_trip_and_recovery(tmp_path: Path) -> None:
    log = OpLog(tmp_path / "log")
    log.recover(0)
    table = pa.table({"a": [1, 2], "b": ["x", None]})
    log.stage(1, [Op("INSERT INTO t SELECT * FROM r", {"when": datetime(2020, 1, 2), "keys": ["a"]}, {"r": table})])
    log.commit(1)
    (op,) = log.read(1)
    assert op.params == {"when": datetime(2020, 1, 2), "keys": ["a"]} and op.relations["r"].equals(table)
    log.stage(2, [Op("SELECT 1")])  # crash after COMMIT, before the entry was marked: kept
    log.stage(3, [Op("SELECT 2")])  # crash before COMMIT: dropped
    log.recover(2)
    assert [seq for seq, _ in log.between(0, 2)] == [1, 2]
    with pytest.raises(LogGap):
        list(log.between(0, 3))
    log.recover(1)  # the database went back (restored from news.duckdb): the lost future goes
    with pytest.raises(LogGap):
        list(log.between(1, 2))
    log.prune(1)
    with pytest.raises(LogGap):
        log.read(1)


def test_publishing_replays_onto_standbys(warehouse: EmbeddedWarehouse) -> None:
    modes = [_write_and_publish(warehouse, str(i)) for i in range(6)]
    assert modes[:2] == ["copied", "copied"] and set(modes[2:]) == {"replayed"}
    assert _tables(warehouse.published_path) == _tables(warehouse.work_path)
    standbys = list((warehouse.directory / "work" / "standby").glob("*.duckdb"))
    assert 1 <= len(standbys) <= MAX_STANDBYS
    assert len(list(warehouse.oplog.directory.iterdir())) < 20  # entries everyone applied are gone


def test_a_reader_holding_the_next_standby_is_left_alone(warehouse: EmbeddedWarehouse) -> None:
    for i in range(3):
        _write_and_publish(warehouse, str(i))
    held = warehouse.published_path
    reader = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1], read_only=True); "
            "print(c.execute('SELECT count(*) FROM rejects').fetchone()[0], flush=True); time.sleep(30)",
            str(held),
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert reader.stdout.readline().strip() == "3"
        started = time.monotonic()
        modes = [_write_and_publish(warehouse, f"r{i}") for i in range(4)]
        assert time.monotonic() - started < 25  # nobody waited for the reader
        # The pinned file is skipped: one full copy brings a third file into the rotation, then replay again.
        assert modes.count("copied") <= 1 and modes[-2:] == ["replayed", "replayed"], modes
        assert _tables(warehouse.published_path) == _tables(warehouse.work_path)
    finally:
        reader.kill()


def test_a_publish_that_failed_half_way_is_redone_by_the_next_run(warehouse: EmbeddedWarehouse, monkeypatch) -> None:
    """The publish is a state (news.duckdb behind the working file), not a flag set before copying: a copy
    that failed (disk full, a kill) leaves the next publish to do, even when nothing new came in."""
    _write_and_publish(warehouse, "0")

    def disk_full(src: object, dst: object) -> None:
        Path(str(dst)).write_bytes(b"half a copy")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(embedded.shutil, "copyfile", disk_full)
    with pytest.raises(WarehouseError, match="the disk is full"):
        _write_and_publish(warehouse, "1")
    monkeypatch.undo()
    with warehouse.session() as session:
        result = warehouse.publish(session)  # no new data since the failed attempt
    assert result.published
    assert _tables(warehouse.published_path) == _tables(warehouse.work_path)
    assert not list((warehouse.directory / "work" / "standby").glob("*.tmp"))


def test_standby_renames_are_made_durable(warehouse: EmbeddedWarehouse, monkeypatch) -> None:
    """Every rename and link in the standby folder is followed by an fsync of the folder, so a crash cannot
    bring back a name the publish already moved (a file's own fsync does not persist its directory entry)."""
    standby = warehouse.directory / "work" / "standby"
    synced: list[set[str]] = []

    def record(path: Path) -> None:
        if path == standby:
            synced.append({p.name for p in standby.iterdir()})

    monkeypatch.setattr(embedded, "fsync_dir", record)
    for marker, mode in (("0", "copied"), ("1", "copied"), ("2", "replayed")):
        synced.clear()
        assert _write_and_publish(warehouse, marker) == mode
        assert synced and synced[-1] == {p.name for p in standby.iterdir()}
