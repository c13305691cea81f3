"""Two batches' parse steps at the same time on different workers, through the whole cluster profile.

`make bench ONLY=parallel_batches` starts a private cluster profile (PostgreSQL, SeaweedFS, Redis, two Celery
workers, the Dagster daemon and UI) on an empty seed folder, then drops the BBC articles of one seed shard
into it and, as soon as the seed sensor has launched that batch's run, those of a second shard: two runs over
different batches, as when files keep arriving. When both have ended it reads the runs' events from the
instance: when each run's `nlp_parses` step started and succeeded, which Celery worker ran it and in which
process. The BBC texts are copied into a temporary folder for the run only.
"""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from pipelines.evaluation import Result

PARSE_STEP = "nlp_parses"
ARTICLES_PER_BATCH = 60
QUICK_ARTICLES_PER_BATCH = 20


def _two_batches(bbc: Path, size: int) -> dict[str, list[Path]]:
    """`size` BBC files of each of the two seed shards holding the most, by their path in the seed folder."""
    from pipelines.core.sources.seed_folder import shard_key, shard_of

    shards: dict[int, list[Path]] = defaultdict(list)
    for path in sorted(bbc.glob("*/*.txt")):
        shards[shard_of(path.relative_to(bbc).as_posix())].append(path)
    fullest = sorted(shards, key=lambda shard: (-len(shards[shard]), shard))[:2]
    return {shard_key(shard): shards[shard][:size] for shard in sorted(fullest)}


def _wait_for_new_run(instance: Any, known: list[str], timeout: float) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        new = [r.dagster_run.run_id for r in instance.get_run_records() if r.dagster_run.run_id not in known]
        if new:
            return new[0]
        time.sleep(1)
    raise TimeoutError(f"the seed sensor launched no run within {timeout:.0f} s")


def _wait_until_ended(instance: Any, run_ids: list[str], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if all(instance.get_run_by_id(run_id).is_finished for run_id in run_ids):
            return
        time.sleep(2)
    raise TimeoutError(f"the runs had not ended after {timeout:.0f} s")


def step_interval(instance: Any, run_id: str, step: str) -> dict[str, Any]:
    """When `step` of the run started and succeeded (epoch seconds), its worker's name and process id, from the
    run's events in the instance (dagster-celery reports the worker as the engine event's `Celery worker`)."""
    import dagster as dg

    kinds = {dg.DagsterEventType.STEP_START, dg.DagsterEventType.STEP_SUCCESS, dg.DagsterEventType.ENGINE_EVENT}
    found: dict[str, Any] = {"run_id": run_id, "status": instance.get_run_by_id(run_id).status.value}
    for record in instance.all_logs(run_id, of_type=kinds):
        event = record.dagster_event
        if event is None or event.step_key != step:
            continue
        if event.event_type == dg.DagsterEventType.STEP_START:
            found["start"], found["pid"] = record.timestamp, event.pid
        elif event.event_type == dg.DagsterEventType.STEP_SUCCESS:
            found["end"] = record.timestamp
        else:
            worker = event.event_specific_data.metadata.get("Celery worker")
            if worker is not None:
                found["worker"] = worker.value
    return found


def overlap_seconds(first: dict[str, Any], second: dict[str, Any]) -> float:
    """How long both steps ran at once (0 when one ended before the other started)."""
    return max(0.0, min(first["end"], second["end"]) - max(first["start"], second["start"]))


def run(data_dir: Path, quick: bool) -> Result:
    from pipelines.cluster.profile import Cluster, missing_binaries

    missing = missing_binaries()
    bbc = data_dir / "corpus" / "bbc"
    if missing or not bbc.is_dir():
        return Result("parallel_batches", "", skipped="needs " + ("; ".join(missing) or str(bbc)))
    import dagster as dg

    batches = _two_batches(bbc, QUICK_ARTICLES_PER_BATCH if quick else ARTICLES_PER_BATCH)
    saved = dict(os.environ)
    with tempfile.TemporaryDirectory(prefix="bench-parallel-") as tmp:
        Path(tmp).chmod(0o755)  # PostgreSQL runs as its own user when this runs as root
        seeds = Path(tmp) / "seeds"
        seeds.mkdir()
        cluster = Cluster(Path(tmp) / "cluster")
        os.environ.update({**cluster.env(), "NEWS_SEEDS_DIR": str(seeds)})
        try:
            cluster.up()
            with dg.DagsterInstance.from_config(str(cluster.dagster_home)) as instance:
                began = time.monotonic()
                run_ids: list[str] = []
                for files in batches.values():
                    for path in files:
                        target = seeds / path.relative_to(bbc)
                        target.parent.mkdir(exist_ok=True)
                        shutil.copyfile(path, target)
                    run_ids.append(_wait_for_new_run(instance, run_ids, timeout=120))
                _wait_until_ended(instance, run_ids, timeout=1800)
                wall = time.monotonic() - began
                steps = [step_interval(instance, run_id, PARSE_STEP) for run_id in run_ids]
        finally:
            cluster.down()
            os.environ.clear()
            os.environ.update(saved)
    for step, batch in zip(steps, batches, strict=True):
        step["batch"], step["articles"] = batch, len(batches[batch])
    complete = all({"start", "end"} <= step.keys() for step in steps)
    overlap = overlap_seconds(*steps) if complete else 0.0
    rows = [
        f"| {s['batch']} | {s['articles']} | {s['status']} | {s.get('worker', '?')} | {s.get('pid', '?')} | "
        + (f"{s['start'] - steps[0]['start']:.1f} | {s['end'] - steps[0]['start']:.1f} |" if complete else "? | ? |")
        for s in steps
    ]
    markdown = "\n".join(
        [
            f"Two runs over two seed batches of BBC articles on two Celery workers: `{PARSE_STEP}` of both ran "
            f"at once for {overlap:.1f} s; both runs took {wall:.0f} s from the first file to the last run's end.",
            "",
            "| batch | articles | run | worker | pid | parse start (s) | parse end (s) |",
            "|---|---:|---|---|---:|---:|---:|",
            *rows,
        ]
    )
    metrics = {"overlap_s": overlap, "wall_s": wall, "steps": steps}
    return Result("parallel_batches", markdown, metrics)
