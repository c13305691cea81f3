"""`make backfill PARTITIONS=...`: keys and ranges are turned into the partition names Dagster is sent."""

import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.cli import partition_names
from pipelines.defs.common import BATCHES

KEYS = BATCHES.get_partition_keys()
# Imported by the work that needs them, never by loading the definitions (start-up cost).
ONLY_WHEN_NEEDED = ("datasketch", "scipy")


def test_single_keys_in_definition_order_each_once():
    assert partition_names("seeds-07, seeds-03,seeds-07,", KEYS) == ["seeds-03", "seeds-07"]


def test_range_includes_both_ends():
    assert partition_names("seeds-00...seeds-15", KEYS) == [f"seeds-{i:02d}" for i in range(16)]
    assert partition_names("seeds-14...feeds-01", KEYS) == ["seeds-14", "seeds-15", "feeds-00", "feeds-01"]


def test_ranges_and_keys_mixed():
    assert partition_names("feeds-07,seeds-02...seeds-04", KEYS) == ["seeds-02", "seeds-03", "seeds-04", "feeds-07"]


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ("seeds-16", "unknown partition 'seeds-16'"),
        ("seeds-00...seeds-99", "unknown partition 'seeds-99'"),
        ("seeds-05...seeds-02", "empty range"),
        (" , ", "no partitions given"),
    ],
)
def test_bad_specs_are_refused(spec, message):
    with pytest.raises(ValueError, match=message):
        partition_names(spec, KEYS)


def test_summary_lists_each_failing_source_with_its_reason(capsys):
    from datetime import datetime

    from pipelines.cli import Outcome, _print_summary
    from pipelines.core.settings import Settings

    counts = ("documents", "articles", "duplicates", "near_dups", "rejects", "stories", "events")
    summary = {f"{k}_{s}": 0 for k in counts for s in ("new", "total")} | {
        "files_unchanged": 5,
        "articles_updated": 0,
        "stories_articles": 0,
    }
    feeds = {"polled": 2, "unchanged": 0, "failed": 1, "entries_new": 3, "sources_enabled": 3, "sources_failing": 2}
    failing = [
        {
            "name": "Gone feed",
            "url": "https://example.org/gone.xml",
            "status": "failing",
            "last_error": "HTTP 404 Not Found",
            "consecutive_failures": 1,
            "next_poll_at": datetime(2026, 5, 1, 12, 30),
            "failed_in_run": True,
        },
        {
            "name": None,
            "url": "https://example.org/slow.xml",
            "status": "failing",
            "last_error": "timed out after 20 s",
            "consecutive_failures": 3,
            "next_poll_at": None,
            "failed_in_run": False,
        },
        {
            "name": None,
            "url": "ftp://example.org/x",
            "status": "invalid",
            "last_error": "feeds[3]: not http(s)",
            "consecutive_failures": 0,
            "next_poll_at": None,
            "failed_in_run": False,
        },
    ]
    settings = Settings(seeds_dir=Path("seeds"), warehouse_dir=Path("/tmp/nowhere"))
    outcome = Outcome(summary, feeds, failing, 2.0, "/tmp/nowhere/news.duckdb", settings.warehouse_dir)
    _print_summary("seeds and sources.yaml", settings, outcome)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Ingested seeds and sources.yaml in 2.0 s"
    assert lines[1].split() == ["new", "total"] and lines[2].split()[:2] == ["documents", "0"]  # the table stays
    sources = lines.index(next(line for line in lines if line.startswith("Sources:")))
    assert lines[sources] == ("Sources: 2 polled (0 unchanged, 1 failed), 3 new feed entries; 3 enabled, 2 failing:")
    assert lines[sources + 1 : sources + 4] == [
        "  failing  Gone feed (https://example.org/gone.xml): HTTP 404 Not Found (failed in this run, 1 failure "
        "in a row; next try 2026-05-01 12:30 UTC)",
        "  failing  https://example.org/slow.xml: timed out after 20 s (not polled in this run, 3 failures in a row)",
        "  invalid  ftp://example.org/x: feeds[3]: not http(s) (fix its entry in the sources file)",
    ]


@pytest.fixture(scope="module")
def definitions_loaded() -> subprocess.CompletedProcess[str]:
    """A fresh interpreter that loads the definitions, as `make run`, `make ui` and every run worker start:
    its stderr, and on stdout which of the modules a run may never need it imported."""
    script = "import sys, pipelines.definitions; print(*sorted(set(sys.argv[1:]) & set(sys.modules)))"
    command = [sys.executable, "-W", "default", "-c", script, *ONLY_WHEN_NEEDED]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=True)


def test_loading_the_definitions_prints_no_beta_warnings(definitions_loaded) -> None:
    """`make ui` loads the definitions in its code server and in every run: Dagster's BetaWarnings about
    parameters the project relies on (backfill_policy) must not be printed there."""
    assert "Warning" not in definitions_loaded.stderr, definitions_loaded.stderr[-2000:]


def test_loading_the_definitions_leaves_out_what_a_run_may_not_need(definitions_loaded) -> None:
    """Start-up cost is paid by every `make run`, run worker and Dagster code server: datasketch (and the
    scipy it imports, ~0.4 s of CPU) is imported by the first MinHash signature, not by the definitions."""
    assert definitions_loaded.stdout.split() == []


def test_a_usage_error_is_answered_without_loading_the_job(tmp_path: Path) -> None:
    """`make poll SOURCE=typo` says so at once: the job's definitions (Dagster, spaCy) are not loaded first."""
    sources = tmp_path / "sources.yaml"
    sources.write_text("feeds:\n  - url: https://example.org/a.xml\n    name: A feed\n", encoding="utf-8")
    script = "import sys; from pipelines.cli import main; print(main(sys.argv[1:]), 'dagster' in sys.modules)"
    env = {"NEWS_SOURCES_FILE": str(sources), "DAGSTER_HOME": str(tmp_path / "dagster")}
    command = [sys.executable, "-c", script, "poll", "--now", "No such feed"]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, env=env, check=True)
    assert "No source named 'No such feed'" in done.stderr
    assert done.stdout.split() == ["2", "False"]
