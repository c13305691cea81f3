"""Latency: a file dropped into the seed folder under `make ui`, until its article is queryable in the
published news.duckdb, as an analyst would see it.

Runs the real `dagster dev` (webserver and daemon: the seed sensor, the run queue, a run process per
run) on a free local port with its own DAGSTER_HOME, seed folder and warehouse, waits until the five
project seeds are published, then drops BBC articles one at a time and polls the published file
read-only. `dagster dev` ignores SIGTERM when it has no terminal, so it is started in its own process
group and killed as a group.

Each drop's time is split by the run's own events in Dagster's instance (PHASES): until the sensor
created the run, Dagster recording its planned steps and queueing it, the wait in the run queue, the
start of the run's process (imports, loading the code), and the work until the article is queryable.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from pipelines.benchmarks.end_to_end import corpus_files, pipeline_env
from pipelines.core.settings import PROJECT_ROOT
from pipelines.evaluation import Result

DROPS = 4
QUICK_DROPS = 1
STARTUP_TIMEOUT = 300.0
DROP_TIMEOUT = 120.0
POLL_SECONDS = 0.25

_ARTICLES_FROM = """
SELECT count(*) FROM articles_base AS a JOIN documents AS d USING (document_id) WHERE d.uri LIKE '%' || ?
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _published_articles(published: Path, suffix: str) -> int:
    """Articles whose file name ends in `suffix` in the published warehouse (0 before the first publish)."""
    if not published.exists():
        return 0
    try:
        con = duckdb.connect(str(published), read_only=True)
    except duckdb.Error:
        return 0  # replaced while opening: the next poll sees the new file
    try:
        return int(con.execute(_ARTICLES_FROM, [suffix]).fetchone()[0])
    except duckdb.CatalogException:
        return 0
    finally:
        con.close()


def _wait_for(published: Path, suffix: str, want: int, timeout: float) -> float | None:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if _published_articles(published, suffix) >= want:
            return time.monotonic() - started
        time.sleep(POLL_SECONDS)
    return None


def _start_dagster(work: Path, env: dict[str, str], port: int) -> subprocess.Popen[bytes]:
    home = Path(env["DAGSTER_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")
    dagster = Path(sys.executable).parent / "dagster"
    command = [str(dagster), "dev", "-w", "workspace.yaml", "-h", "127.0.0.1", "-p", str(port)]
    log = (work / "dagster-dev.log").open("wb")
    return subprocess.Popen(
        command, cwd=PROJECT_ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


# (label, the run event that ends the phase); None: when the sensor created the run.
PHASES = [
    ("the sensor noticed the file and created its run", None),
    ("Dagster recorded the run's planned steps and queued it", "RUN_ENQUEUED"),
    ("the run waited in the queue", "RUN_STARTING"),
    ("its process started: imports, the code location loaded", "RUN_START"),
]


def _phases(home: Path, dropped_at: float, queryable_at: float) -> dict[str, float]:
    """Seconds of each phase between the drop and the article being queryable, from the first run the
    sensor created after the drop (read from the Dagster instance of the benchmark, as the UI reads it)."""
    import dagster as dg

    with dg.DagsterInstance.from_config(str(home)) as instance:
        records = [r for r in instance.get_run_records() if r.create_timestamp.timestamp() >= dropped_at]
        if not records:
            return {}
        record = min(records, key=lambda r: r.create_timestamp)
        marks = {"created": record.create_timestamp.timestamp()}
        for entry in instance.all_logs(record.dagster_run.run_id):
            if entry.dagster_event is not None and entry.dagster_event.event_type.name not in marks:
                marks[entry.dagster_event.event_type.name] = entry.timestamp
    phases, before = {}, dropped_at
    for label, event in PHASES:
        at = marks.get(event or "created")
        if at is None:
            return phases
        phases[label] = round(at - before, 1)
        before = at
    phases["run executed until the article was queryable"] = round(queryable_at - before, 1)
    return phases


def run(data_dir: Path, quick: bool) -> Result:
    """Drop-to-queryable latency under `dagster dev`, one file at a time."""
    files = corpus_files(data_dir)
    if not files:
        return Result("Latency under make ui", "", skipped=f"{data_dir / 'corpus' / 'bbc'} not found")
    drops = files[-(QUICK_DROPS if quick else DROPS) :]
    with tempfile.TemporaryDirectory(prefix="news-bench-latency-") as tmp:
        work = Path(tmp)
        shutil.copytree(PROJECT_ROOT / "seeds", work / "seeds")
        env = pipeline_env(work)
        published = work / "warehouse" / "news.duckdb"
        started = time.monotonic()
        process = _start_dagster(work, env, _free_port())
        try:
            seeds = sum(1 for p in (work / "seeds").rglob("*") if p.is_file())
            if _wait_for(published, "", seeds, STARTUP_TIMEOUT) is None:
                log = (work / "dagster-dev.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"the seeds were not published within {STARTUP_TIMEOUT:.0f} s:\n{log}")
            startup = time.monotonic() - started
            latencies, breakdowns = [], []
            for path in drops:
                target = work / "seeds" / "dropped" / f"{path.parent.name}-{path.name}"
                target.parent.mkdir(exist_ok=True)
                dropped_at = time.time()
                shutil.copyfile(path, target)
                seconds = _wait_for(published, target.name, 1, DROP_TIMEOUT)
                if seconds is None:
                    raise RuntimeError(f"{target.name} was not queryable within {DROP_TIMEOUT:.0f} s")
                latencies.append(round(seconds, 1))
                breakdowns.append(_phases(Path(env["DAGSTER_HOME"]), dropped_at, dropped_at + seconds))
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()
    metrics: dict[str, Any] = {
        "startup_to_seeds_published_seconds": round(startup, 1),
        "latencies_seconds": latencies,
        "median_seconds": statistics.median(latencies),
        "max_seconds": max(latencies),
        "phases_seconds": breakdowns,
        "load_average_1min": round(os.getloadavg()[0], 2),
    }
    markdown = "\n".join(
        [
            "| | seconds |",
            "|---|---:|",
            f"| `dagster dev` started → the seed folder queryable | {startup:.1f} |",
            *(
                f"| file {i} dropped → its article queryable in news.duckdb | {s:.1f} |"
                for i, s in enumerate(latencies, 1)
            ),
            "",
            f"Median {metrics['median_seconds']:.1f} s, worst {metrics['max_seconds']:.1f} s (sensor every 5 s, a run "
            f"process per run, publish by write-log replay); load average {metrics['load_average_1min']} at the end.",
            "",
            "| phase (median over the drops) | seconds |",
            "|---|---:|",
            *(
                f"| {label} | {statistics.median(b[label] for b in breakdowns if label in b):.1f} |"
                for label in [*(p[0] for p in PHASES), "run executed until the article was queryable"]
                if any(label in b for b in breakdowns)
            ),
        ]
    )
    return Result("Latency under make ui", markdown, metrics)
