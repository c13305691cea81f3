"""Killed runs the way users kill them: `python -m pipelines run` (what `make run` runs) as a real process
tree, SIGKILLed as a group, then run again through the same persistent DAGSTER_HOME — with and without
the Dagster daemon of `make ui` ticking the seed sensor beside it.

A forked child with a throwaway Dagster instance (test_crash_consistency.py) cannot see what lives in the
instance: the writer-pool slot a killed run keeps, the run left STARTED for ever. Here every later run
must start, finish, and leave the warehouse — news.duckdb included — equal to one clean run.

Kill points are write points of the warehouse (tests/reliability/faults.py, armed in the CLI by
cli_faults/sitecustomize.py): the process group dies at the first point whose label starts with the
target. The targets follow the flow, so each run of the chain gets further than the one before.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from pipelines.defs.common import WRITER_POOL
from pipelines.defs.run_guard import PID_TAG
from tests.reliability.cli_run import cli_env, dagster_home, run_cli, start
from tests.reliability.test_crash_consistency import clean, published_snapshot, snapshot

__all__ = ["clean"]  # the clean run (built once per session) this module's tests compare with

# One run of the chain per target, in flow order: documents, a COMMIT, articles, the write log, near-duplicate
# signatures, parses, mentions, entities, events, stories, the search index, the standby copy of the
# publish (killed half-written), the brief page (its temporary file written, not renamed).
KILL_CHAIN = (
    "insert_new:documents",
    "commit:",
    "upsert:articles_base",
    "log_staged:",
    "insert:article_signatures",
    "upsert:article_nlp",
    "insert:entity_mentions_base",
    "log_commit:",
    "upsert:entities",
    "insert:events",
    "insert:article_stories",
    "write_with:index_search",
    "standby_copy:",
    "write:brief.html",
)
REAPED = "is gone (killed, or the machine stopped)"


def _instance(home: Path) -> dg.DagsterInstance:
    return dg.DagsterInstance.from_config(str(home))


def _assert_equal_to_clean(warehouse: Path, expected: dict[str, list[tuple]]) -> None:
    got, published = snapshot(warehouse), published_snapshot(warehouse)
    assert got.keys() == expected.keys()
    for table in expected:
        assert got[table] == expected[table], f"working file: {table} differs from a clean run"
        assert published[table] == expected[table], f"news.duckdb: {table} differs from a clean run"
    assert not list((warehouse / "work" / "standby").glob("*.tmp")), "a half-written standby copy was left"
    assert not list(warehouse.glob(".*.tmp")), "a killed writer's temporary file was left"


def _assert_runs_ended(instance: dg.DagsterInstance, failed: int) -> None:
    runs = instance.get_runs()
    assert all(run.is_finished for run in runs), [(r.run_id, r.status) for r in runs if not r.is_finished]
    assert sum(run.status == dg.DagsterRunStatus.FAILURE for run in runs) == failed
    pool = instance.event_log_storage.get_concurrency_info(WRITER_POOL)
    assert not pool.claimed_slots and not pool.pending_steps, pool


@pytest.mark.slow
def test_a_chain_of_killed_cli_runs_ends_like_a_clean_run(clean, tmp_path: Path) -> None:
    seeds, expected, _, _ = clean
    home, warehouse = dagster_home(tmp_path), tmp_path / "warehouse"
    killed: list[str] = []
    for target in KILL_CHAIN:
        result = run_cli(cli_env(home, seeds, warehouse, kill=target))
        if killed:  # the run killed before this one still held the writer pool
            assert REAPED in result.stderr, f"the run killed at {killed[-1]} was not reclaimed:\n{result.stderr}"
        if result.returncode == 0:
            continue  # this run never reached its target (its work was done by an earlier one)
        assert result.returncode == -signal.SIGKILL, f"run aimed at {target} failed:\n{result.stderr[-3000:]}"
        killed.append(target)
    assert len(killed) >= 10, f"only {len(killed)} runs were killed: {killed}"
    final = run_cli(cli_env(home, seeds, warehouse))
    assert final.returncode == 0, final.stderr[-3000:]
    _assert_equal_to_clean(warehouse, expected)
    _assert_runs_ended(_instance(home), failed=len(killed))


def _wait(condition, what: str, timeout: float = 180) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(0.5)


def _kill_tree(pid: int) -> None:
    """SIGKILL a process and its descendants (a run worker and its model workers)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    family, queue = [], [pid]
    while queue:
        family.append(queue.pop())
        queue.extend(children.get(family[-1], []))
    for member in family:
        with contextlib.suppress(ProcessLookupError):
            os.kill(member, signal.SIGKILL)


@pytest.mark.slow
def test_killed_runs_with_the_ui_daemon_running(clean, tmp_path: Path) -> None:
    """A `make run` is killed; then `make ui`'s daemon ticks the seed sensor, whose run must not wait for
    the dead run's slot; that run is killed in turn (its run worker, mid-step); the next `make run` still
    finishes, every run ends FAILED or SUCCESS, and the warehouse equals a clean run."""
    seeds, expected, _, _ = clean
    home, warehouse = dagster_home(tmp_path), tmp_path / "warehouse"
    killed = run_cli(cli_env(home, seeds, warehouse, kill="upsert:articles_base"))
    assert killed.returncode == -signal.SIGKILL, killed.stderr[-3000:]
    daemon_env = cli_env(home, seeds, warehouse)
    daemon = start(daemon_env, str(Path(sys.executable).with_name("dagster-daemon")), "run", "-w", "workspace.yaml")
    instance = _instance(home)
    try:

        def sensor_run_in_pool() -> dg.DagsterRun | None:
            pool = instance.event_log_storage.get_concurrency_info(WRITER_POOL)
            for slot in pool.claimed_slots:
                run = instance.get_run_by_id(slot.run_id)
                if run and run.tags.get("dagster/sensor_name") and PID_TAG in run.tags:
                    return run
            return None

        # The sensor must reclaim the killed run's slot first, or its own run would wait for ever.
        _wait(lambda: sensor_run_in_pool() is not None, "the sensor's run to take the writer pool")
        sensor_run = sensor_run_in_pool()
        assert sensor_run is not None
        _kill_tree(int(sensor_run.tags[PID_TAG]))
        final = run_cli(cli_env(home, seeds, warehouse))
        assert final.returncode == 0, final.stderr[-3000:]
        # The sensor may have requested more runs meanwhile; every run must end (a dead one is reclaimed
        # by the next tick).
        _wait(lambda: all(run.is_finished for run in instance.get_runs()), "every run to end")
    finally:
        os.killpg(daemon.pid, signal.SIGKILL)
        daemon.communicate()
    _assert_equal_to_clean(warehouse, expected)
    _assert_runs_ended(instance, failed=2)
    failed = [run for run in instance.get_runs() if run.status == dg.DagsterRunStatus.FAILURE]
    assert {run.tags.get("launched_by") or run.tags.get("dagster/sensor_name") for run in failed} == {
        "make run",
        "seed_folder_sensor",
    }
