"""Crash consistency: kill -9 a run at seeded points of every writing stage, run again, compare.

A clean run records every write point (see faults.py). Twenty points are drawn with a fixed seed: one
at each moment of the commit protocol (just before COMMIT, the log entry staged, the transaction
committed but its entry not yet marked, the publish copy half-written) and in the articles stage, and
the rest one per equal slice of the run, so every stage (they run one after another) is hit. For each point a
forked child process runs the real Dagster job and SIGKILLs itself there; then the job runs again
normally. The warehouse must equal a clean run's: same row sets in every table (timestamps and run ids
aside), no orphans, every input in `documents`, and a readable published copy.
"""

from __future__ import annotations

import itertools
import json
import multiprocessing
import random
import shutil
import signal
from pathlib import Path

import duckdb
import pytest

from pipelines.core.settings import Settings
from pipelines.core.storage.embedded import EmbeddedWarehouse
from tests.conftest import SEEDS, built_once
from tests.integration.helpers import materialize_all
from tests.reliability.faults import install

KILL_POINTS = 12
MUST_HIT = ("commit:", "log_staged:", "log_commit:", "standby_copy:", "upsert:articles_base", "upsert:rejects")
SEED = 20261121
INPUTS = 5 + 3 + 1 + 1  # documents in _corpus: the seeds, three JSONL lines, the empty file, the copy
# Tables whose content is bookkeeping about runs rather than data derived from the inputs.
VOLATILE_TABLES = {"pipeline_runs", "warehouse_meta", "schema_migrations", "write_log_position"}
VOLATILE_COLUMNS = {"run_id", "fetch_id"}  # ids of events (a run, an HTTP fetch), not of data


def _corpus(root: Path) -> None:
    """Seeds plus inputs that exercise every outcome (INPUTS documents)."""
    shutil.copytree(SEEDS, root)
    lines = [
        json.dumps({"url": "https://example.com/a", "title": "JSONL one", "text": "First JSONL body text here."}),
        json.dumps({"url": "https://example.com/b?utm_source=x", "title": "JSONL two", "text": "Second body."}),
        '{"title": "broken',
    ]
    (root / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    (root / "empty.txt").write_bytes(b"")
    shutil.copy(next(SEEDS.glob("002_*.txt")), root / "copy_of_002.txt")


def _child(seeds: str, warehouse: str, kill_at: int, log: str) -> None:
    calls: list[str] = []
    install(kill_at, calls)
    materialize_all(Settings(Path(seeds), Path(warehouse)), raise_on_error=False)
    Path(log).write_text(json.dumps(calls))


def _run_child(seeds: Path, warehouse: Path, kill_at: int, log: Path) -> int:
    # fork: the child inherits the imported pipeline and loaded model, so a run costs ~1 s, not ~8.
    process = multiprocessing.get_context("fork").Process(
        target=_child, args=(str(seeds), str(warehouse), kill_at, str(log))
    )
    process.start()
    process.join(300)
    return process.exitcode


def data_rows(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    """Every data table's rows, without timestamps and run ids, sorted (a working or a published file)."""
    out: dict[str, list[tuple]] = {}
    tables = [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal ORDER BY 1"
        ).fetchall()
    ]
    for table in tables:
        if table in VOLATILE_TABLES:
            continue
        columns = [
            name
            for name, kind in con.execute(
                "SELECT column_name, data_type FROM duckdb_columns() WHERE table_name = ? AND schema_name = 'main' "
                "ORDER BY column_index",
                [table],
            ).fetchall()
            if "TIMESTAMP" not in kind and name not in VOLATILE_COLUMNS
        ]
        select = ", ".join(f'"{c}"' for c in columns)
        out[table] = sorted(con.execute(f"SELECT {select} FROM {table}").fetchall(), key=repr)
    return out


def snapshot(warehouse_dir: Path) -> dict[str, list[tuple]]:
    """The working database's data rows; fails on orphans."""
    with EmbeddedWarehouse(warehouse_dir).session() as session:
        out = data_rows(session.con)
        orphans = {row["relation"]: row["orphans"] for row in session.query("check_orphans") if row["orphans"]}
        assert not orphans, orphans
    return out


def published_snapshot(warehouse_dir: Path) -> dict[str, list[tuple]]:
    """The data rows analysts see in news.duckdb."""
    con = duckdb.connect(str(warehouse_dir / "news.duckdb"), read_only=True)
    try:
        return data_rows(con)
    finally:
        con.close()


@pytest.fixture(scope="session")
def clean(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str
) -> tuple[Path, dict[str, list[tuple]], list[str], int]:
    """The input folder every run reads (identity includes its path), and a clean run's result: built once per
    session for every worker and module that kills runs (a forked run of the pipeline), then only read."""

    def build(root: Path) -> None:
        _corpus(root / "seeds")
        assert _run_child(root / "seeds", root / "warehouse", 0, root / "calls.json") == 0

    root = built_once(tmp_path_factory, worker_id, "clean-run", build)
    calls = json.loads((root / "calls.json").read_text())
    return root / "seeds", snapshot(root / "warehouse"), calls, INPUTS


def kill_points(calls: list[str]) -> list[int]:
    """KILL_POINTS 1-based write points: one of each kind in MUST_HIT, then one per equal slice of the run."""
    rng = random.Random(SEED)
    chosen: set[int] = set()
    for kind in MUST_HIT:
        indices = [i for i, label in enumerate(calls, start=1) if label == kind]
        assert indices, f"the clean run has no write point {kind!r}"
        chosen.add(rng.choice(indices))
    slices = KILL_POINTS - len(chosen)
    bounds = [round(k * len(calls) / slices) for k in range(slices + 1)]
    for low, high in itertools.pairwise(bounds):
        free = [i for i in range(low + 1, high + 1) if i not in chosen]
        if free:
            chosen.add(rng.choice(free))
    rest = [i for i in range(1, len(calls) + 1) if i not in chosen]
    chosen.update(rng.sample(rest, KILL_POINTS - len(chosen)))
    return sorted(chosen)


@pytest.mark.parametrize("ordinal", range(KILL_POINTS))
def test_killed_run_recovers_to_the_clean_state(ordinal: int, clean, tmp_path: Path) -> None:
    seeds, expected, calls, inputs = clean
    point = kill_points(calls)[ordinal]
    warehouse = tmp_path / "warehouse"
    assert _run_child(seeds, warehouse, point, tmp_path / "calls.json") == -signal.SIGKILL, f"not killed at {point}"
    assert materialize_all(Settings(seeds, warehouse)).success, f"recovery after a kill at {calls[point - 1]!r} failed"
    got = snapshot(warehouse)
    assert got.keys() == expected.keys()
    for table in expected:
        assert got[table] == expected[table], f"{table} differs after a kill at point {point} ({calls[point - 1]})"
    assert len(got["documents"]) == inputs
    published = duckdb.connect(str(warehouse / "news.duckdb"), read_only=True)
    assert published.execute("SELECT count(*) FROM articles").fetchone()[0] == len(expected["articles_base"])
    published.close()
    assert not list((warehouse / "work" / "standby").glob("*.tmp")), "a half-written standby copy was left behind"
