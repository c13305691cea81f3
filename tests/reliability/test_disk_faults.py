"""Disk and database faults: read-only warehouse, full disk, damaged files. Clear error, no partial
state, and recovery by simply running again.

Where the test may mount filesystems (root in a container), the faults are real: a tmpfs remounted
read-only, a tmpfs too small for the batch. Elsewhere the same failure is injected at the write
boundary (DuckDB raising the error the OS would cause).
"""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from pipelines.core.settings import Settings
from pipelines.core.storage.session import Session
from tests.conftest import SEEDS
from tests.integration.helpers import materialize_all, published_rows
from tests.reliability.test_crash_consistency import snapshot


def _mount(target: Path, options: str) -> bool:
    target.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(target)], capture_output=True)
    return done.returncode == 0


@contextlib.contextmanager
def tmpfs(target: Path, size: str) -> Iterator[Path]:
    if not _mount(target, f"size={size}"):
        pytest.skip("cannot mount a tmpfs here (not root or no CAP_SYS_ADMIN); the simulated variant covers it")
    try:
        yield target
    finally:
        subprocess.run(["umount", "-l", str(target)], capture_output=True)


def _remount(target: Path, options: str) -> None:
    subprocess.run(["mount", "-o", f"remount,{options}", str(target)], check=True, capture_output=True)


def _failure_message(result) -> str:
    failures = [e for e in result.all_events if e.is_step_failure]
    return " ".join(f.event_specific_data.error.to_string() for f in failures)


def _big_seeds(root: Path) -> Path:
    """Seeds plus a JSONL batch of ~1.5 MB, so the first run does not fit a 3 MB filesystem."""
    seeds = root / "seeds"
    shutil.copytree(SEEDS, seeds)
    lines = [
        json.dumps({"url": f"https://example.com/{i}", "title": f"Report {i}", "text": f"word{i} " * 600})
        for i in range(250)
    ]
    (seeds / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return seeds


def test_full_disk_fails_clearly_then_recovers(tmp_path: Path) -> None:
    seeds = _big_seeds(tmp_path)
    clean = Settings(seeds, tmp_path / "clean")
    assert materialize_all(clean).success
    with tmpfs(tmp_path / "small", "3m") as small:
        settings = Settings(seeds, small / "warehouse")
        result = materialize_all(settings, raise_on_error=False)
        assert not result.success
        message = _failure_message(result)
        assert "is full" in message and "run again" in message
        _remount(small, "size=128m")  # the user frees space
        assert materialize_all(settings).success
        assert snapshot(settings.warehouse_dir) == snapshot(clean.warehouse_dir)


def test_read_only_warehouse_fails_clearly_and_keeps_the_published_copy(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    shutil.copytree(SEEDS, seeds)
    # Room for the three copies a publish keeps (working file, news.duckdb, standby: 21 MB each for six
    # articles) and the brief: at 64 MiB the run after remounting was a few MB from a full disk.
    with tmpfs(tmp_path / "disk", "128m") as disk:
        settings = Settings(seeds, disk / "warehouse")
        assert materialize_all(settings).success
        (seeds / "new.txt").write_text("A new headline\n\nA new body arrives while the disk is read-only.")
        _remount(disk, "ro")
        result = materialize_all(settings, raise_on_error=False)
        assert not result.success
        assert "read-only" in _failure_message(result)
        assert published_rows(settings, "SELECT count(*) FROM articles")[0][0] == 5  # analysts unaffected
        _remount(disk, "rw")
        assert materialize_all(settings).success
        assert published_rows(settings, "SELECT count(*) FROM articles")[0][0] == 6


def test_simulated_write_failure_rolls_back_the_step(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    """Without mount rights: the OS error raised at the write boundary, inside the articles transaction."""
    assert materialize_all(settings).success
    before = snapshot(settings.warehouse_dir)
    (settings.seeds_dir / "new.txt").write_text("A new headline\n\nBody of an article that cannot be written.")
    original = Session.upsert

    def failing(self: Session, table: str, *args, **kwargs):
        if table == "document_articles":  # after articles_base was written in the same transaction
            raise duckdb.IOException('Could not write file "pipeline.duckdb.wal": No space left on device')
        return original(self, table, *args, **kwargs)

    monkeypatch.setattr(Session, "upsert", failing)
    result = materialize_all(settings, raise_on_error=False)
    assert not result.success and "is full" in _failure_message(result)
    after = snapshot(settings.warehouse_dir)
    assert after["articles_base"] == before["articles_base"]  # the half-written transaction is gone
    monkeypatch.undo()
    assert materialize_all(settings).success
    assert len(snapshot(settings.warehouse_dir)["articles_base"]) == 6


def test_damaged_published_copy_is_replaced_on_the_next_run(settings: Settings) -> None:
    assert materialize_all(settings).success
    published = settings.warehouse_dir / "news.duckdb"
    published.write_bytes(b"this is not a database" * 1000)
    with pytest.raises(duckdb.Error):
        duckdb.connect(str(published), read_only=True)
    assert materialize_all(settings).success  # no new input, but the copy no longer matches what was published
    assert published_rows(settings, "SELECT count(*) FROM articles")[0][0] == 5


def test_damaged_working_file_names_the_way_out(settings: Settings) -> None:
    assert materialize_all(settings).success
    work = settings.warehouse_dir / "work" / "pipeline.duckdb"
    work.write_bytes(b"\x00garbage" * 4096)
    result = materialize_all(settings, raise_on_error=False)
    assert not result.success
    message = _failure_message(result)
    assert f"rm -f {work}.wal; cp {settings.warehouse_dir / 'news.duckdb'} {work}" in message
    work.with_name(work.name + ".wal").unlink(missing_ok=True)  # the documented recovery
    shutil.copy(settings.warehouse_dir / "news.duckdb", work)
    assert materialize_all(settings).success
    assert published_rows(settings, "SELECT count(*) FROM articles")[0][0] == 5
