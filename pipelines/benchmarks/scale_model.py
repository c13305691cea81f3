"""`make bench ONLY=scale_model`: how many articles per second N workers give, what binds, and what it costs.

Arithmetic over measured costs, so a team can size a cluster before renting it and see which part gives out
first. Every input is a measurement, with the command that measures it again:

- per-batch stages (documents, articles, nlp_parses, entity_mentions, events): seconds per article on one
  2-core worker, from the BBC run of `make bench ONLY=end_to_end` (stage table in README.md, embedded);
- global stages (near_duplicates, entities, stories, publish): seconds per article, same run; they take turns
  (pool global_stages), so their rate caps the cluster whatever N is;
- the near-duplicate band probe on the lake: it scans `lsh_bands`, so its cost per chunk of 500 articles grows
  with the articles stored (`make bench ONLY=lake`: lake on S3, warm, 67 ms at 10k and 410 ms at 100k);
- the fixed cost of a step on a Celery worker (loading the job, reporting to PostgreSQL): median of the steps
  of a seeds run of the cluster profile, whose per-article work is negligible;
- a DuckLake commit's latency, measured here on a private PostgreSQL when its binaries are present.

Model, for batches of B articles and H articles stored: a run is S_b per-batch steps and S_g global steps,
each paying the step cost o. Workers bound: N·B / ((S_b + S_g)·o + B·(p + g(H))) articles per second, every
step needing a worker. Serial bound: B / (S_g·o + B·g(H)), the global chain. Catalog bound: 1 / (c·k(B)),
k commits per batch of latency c each (commits are serialised by the catalog). The smallest binds. Cost:
worker-hours per million articles at that rate. Object-store requests are not modelled beyond the S3 band
probe: they were not the bottleneck in any measurement here.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path

from pipelines.evaluation import Result

WORKERS = (1, 2, 4, 8, 16, 32)
HISTORIES = (100_000, 1_000_000, 10_000_000)
BATCH_SIZES = (500, 2_000, 10_000, 50_000)
CHUNK = 500
COMMIT_SAMPLES = 40


@dataclass(frozen=True)
class Costs:
    """Measured costs (see the module docstring for where each comes from)."""

    per_batch_s: float = (0.4 + 4.0 + 66.9 + 0.7 + 5.9) / 2_086  # BBC, embedded, 2 cores: 77.9 s / 2,086 articles
    global_s: float = (2.7 + 2.1 + 5.6 + 1.9) / 2_086  # near_duplicates, entities, stories, publish: 12.3 s
    probe_ms_at_10k: float = 67.0  # band probe per 500-article chunk, lake on S3, warm
    probe_ms_at_100k: float = 410.0
    step_s: float = 5.2  # one step on a Celery worker: median of the 22 steps of the seeds' two cluster runs
    commit_s: float | None = None  # one DuckLake commit (catalog in PostgreSQL), when measured
    per_batch_steps: int = 5
    global_steps: int = 6  # near_duplicates, entities, event_corrections, stories, analyst_warehouse, brief
    commits_per_chunk: int = 6  # transactions per 500 articles over all stages

    @property
    def probe_slope_ms(self) -> float:
        """The band probe's growth per article stored (ms a chunk), through the two measured points."""
        return (self.probe_ms_at_100k - self.probe_ms_at_10k) / 90_000

    def probe_s_per_article(self, history: int) -> float:
        """The lake's band probe per article: linear in history through the two measured points."""
        return max(self.probe_ms_at_10k + self.probe_slope_ms * (history - 10_000), 0.0) / 1000 / CHUNK

    def global_per_article(self, history: int) -> float:
        return self.global_s + self.probe_s_per_article(history)


@dataclass(frozen=True)
class Prediction:
    workers: int
    history: int
    batch: int
    articles_per_s: float
    bound: str
    worker_hours_per_million: float


def predict(costs: Costs, workers: int, batch: int, history: int) -> Prediction:
    """Articles per second of `workers` workers on batches of `batch` articles with `history` stored, and which
    bound gives it."""
    g = costs.global_per_article(history)
    steps = costs.per_batch_steps + costs.global_steps
    bounds = {
        "workers": workers * batch / (steps * costs.step_s + batch * (costs.per_batch_s + g)),
        "global stages": batch / (costs.global_steps * costs.step_s + batch * g),
    }
    if costs.commit_s is not None:
        bounds["catalog"] = batch / (costs.commit_s * (steps + costs.commits_per_chunk * batch / CHUNK))
    bound = min(bounds, key=lambda name: bounds[name])
    rate = bounds[bound]
    return Prediction(workers, history, batch, rate, bound, workers * 1_000_000 / rate / 3600)


def crossover_history(costs: Costs) -> int:
    """The history at which the lake's band probe costs the global stages more than their own work."""
    return int(10_000 + (costs.global_s * 1000 * CHUNK - costs.probe_ms_at_10k) / costs.probe_slope_ms)


def measure_commit_seconds() -> float | None:
    """Median seconds of a one-row DuckLake commit on a private PostgreSQL (None without its binaries)."""
    from pipelines.cluster.profile import Cluster, missing_binaries
    from pipelines.core.storage.lake import LakeSettings

    if any("PostgreSQL" in m or "ducklake" in m for m in missing_binaries()):
        return None
    with tempfile.TemporaryDirectory(prefix="bench-scale-") as tmp:
        Path(tmp).chmod(0o755)  # PostgreSQL runs as its own user when this runs as root
        cluster = Cluster(Path(tmp) / "cluster", workers=())
        cluster.up(["postgres"])
        try:
            env = cluster.env()
            settings = replace(
                LakeSettings.from_url(env["NEWS_WAREHOUSE_URL"], env), data_path=str(Path(tmp) / "lake") + "/"
            )
            con = settings.connect()
            con.execute("CREATE TABLE commits (n INTEGER, written_at TIMESTAMP)")
            seconds = []
            for n in range(COMMIT_SAMPLES):
                started = time.perf_counter()
                con.execute("INSERT INTO commits VALUES (?, now())", [n])
                seconds.append(time.perf_counter() - started)
            con.close()
        finally:
            cluster.down()
    return statistics.median(seconds)


def run(_data_dir: Path, quick: bool) -> Result:
    commit = None if quick else measure_commit_seconds()
    costs = Costs() if commit is None else replace(Costs(), commit_s=commit)
    batch = 2_000
    rows = [predict(costs, n, batch, h) for h in HISTORIES for n in WORKERS]
    lines = [
        f"Batches of {batch:,} articles; per-batch work {costs.per_batch_s * 1000:.1f} ms/article on a 2-core "
        f"worker, global {costs.global_s * 1000:.1f} ms/article plus the lake's band probe, {costs.step_s:.1f} s "
        f"per step, "
        + (f"{commit * 1000:.0f} ms per lake commit (measured now)." if commit else "lake commits not measured."),
        "",
        "| articles stored | workers | articles/s | bound | worker-hours per million articles |",
        "|---:|---:|---:|---|---:|",
    ]
    lines += [
        f"| {p.history:,} | {p.workers} | {p.articles_per_s:.1f} | {p.bound} | {p.worker_hours_per_million:.1f} |"
        for p in rows
    ]
    sizes = [predict(costs, 32, size, 1_000_000) for size in BATCH_SIZES]
    lines += [
        "",
        "Batch size, 32 workers, 1,000,000 stored: "
        + "; ".join(f"{p.batch:,} articles: {p.articles_per_s:.1f}/s ({p.bound})" for p in sizes)
        + ". The fixed step cost of the serial chain is spread over the batch.",
    ]
    crossover = crossover_history(costs)
    lines += [
        "",
        f"The band probe overtakes the global stages' own work at about {crossover:,} stored articles; beyond it "
        "keep lsh_bands in PostgreSQL with a B-tree, or a local indexed copy on the grouping worker (SCALING.md).",
    ]
    metrics = {
        "costs": costs.__dict__,
        "commit_measured": commit is not None,
        "predictions": [p.__dict__ for p in rows],
        "batch_sizes": [p.__dict__ for p in sizes],
        "crossover_history": crossover,
    }
    return Result("scale_model", "\n".join(lines), metrics)
