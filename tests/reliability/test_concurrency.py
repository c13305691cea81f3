"""Concurrency: overlapping runs in separate processes (a sensor-style run over a few shards, a full
backfill, more files arriving meanwhile) while an analyst holds news.duckdb open. No run fails on a
lock, the reader never fails, and the result equals one clean run over the same inputs."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from pipelines.core.settings import PROJECT_ROOT, Settings
from pipelines.core.sources.seed_folder import all_shard_keys, shard_key, shard_of
from tests.integration.helpers import materialize_all
from tests.reliability.test_crash_consistency import snapshot


def _spawn(module: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=PROJECT_ROOT,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_overlapping_runs_and_a_reader(settings: Settings, tmp_path: Path) -> None:
    assert materialize_all(settings).success  # the analyst's file exists before the rush
    published = settings.warehouse_dir / "news.duckdb"
    reader = _spawn("tests.reliability.reader_child", str(published), "25")
    keys = all_shard_keys()
    new_files = {
        f"arrival_{i}.txt": f"Arrival number {i}\n\nA report that arrives while other runs are going on, "
        f"number {i} of several, with enough words to be an article."
        for i in range(6)
    }
    runs = []
    for i, (name, text) in enumerate(new_files.items()):
        (settings.seeds_dir / name).write_text(text, encoding="utf-8")
        shard = shard_key(shard_of(name))
        runs.append(
            _spawn("tests.reliability.run_child", str(settings.seeds_dir), str(settings.warehouse_dir), shard, shard)
        )  # what the sensor launches for one new file
        if i == 1:
            runs.append(
                _spawn(
                    "tests.reliability.run_child",
                    str(settings.seeds_dir),
                    str(settings.warehouse_dir),
                    keys[0],
                    keys[-1],
                )
            )  # a full backfill in the middle of it
        time.sleep(0.3)
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err[-3000:]
        assert "lock" not in err.lower() or "Could not set lock" not in err
    out, err = reader.communicate(timeout=120)
    report = json.loads(out.strip().splitlines()[-1])
    assert report["error"] is None and report["queries"] > 50, (report, err[-2000:])

    # Whatever the interleaving, the result is one clean run's.
    assert materialize_all(settings).success
    clean = Settings(settings.seeds_dir, tmp_path / "clean")
    assert materialize_all(clean).success
    assert snapshot(settings.warehouse_dir) == snapshot(clean.warehouse_dir)
    assert len(snapshot(settings.warehouse_dir)["articles_base"]) == 5 + len(new_files)
