"""End to end: a folder of real articles through the real Dagster job (`python -m pipelines run`, as
`make run` does), from an empty warehouse to a published one, next to the model ceiling measured in
the same benchmark run: spaCy alone on the texts the pipeline parsed, with the same number of processes.

Two corpora: the 2,225 BBC articles of ../shared/eval/corpus/bbc, and a scaled run of 20,000+
articles made from them by the seeded syndication-variant generator (the near-duplicate evaluation's),
which is what a wire-heavy news stream looks like. On request (`make bench ONLY=long_reads`), a third:
800 long reads of four BBC articles each (~9,000 characters, four times the BBC average), because the
model's memory grows with the length of the texts it parses at once, which the short BBC texts hide.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import duckdb

from pipelines.benchmarks.measure import Measured, measure
from pipelines.core.settings import PROJECT_ROOT
from pipelines.core.workers import worker_count
from pipelines.evaluation import Result
from pipelines.evaluation.dedupe_variants import KINDS, VariantMaker, parse_source

CORPUS = Path("corpus") / "bbc"
SCALED_ARTICLES = 20_000
LONG_READS = 800
ARTICLES_PER_LONG_READ = 4
BBC_NAME = "End to end (BBC corpus)"
QUICK_ARTICLES = 300
SEED = 8


def corpus_files(data_dir: Path) -> list[Path]:
    return sorted((data_dir / CORPUS).glob("*/*.txt"))


def copy_corpus(files: list[Path], seeds: Path) -> None:
    for path in files:
        target = seeds / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def write_variants(files: list[Path], seeds: Path, total: int) -> None:
    """The originals plus seeded syndication variants of them, `total` files in all."""
    copy_corpus(files, seeds)
    sources = [parse_source(f"{p.parent.name}/{p.stem}", p.parent.name, p.read_text(errors="replace")) for p in files]
    by_folder: dict[str, list] = {}
    for source in sources:
        by_folder.setdefault(source.folder, []).append(source)
    maker, rng = VariantMaker(SEED), random.Random(SEED)
    for i in range(total - len(files)):
        source = sources[i % len(sources)]
        kind = KINDS[rng.randrange(len(KINDS))]
        variant = maker.make(source, kind, by_folder[source.folder])
        target = seeds / "variants" / f"{i // 1000:03d}" / f"{i:06d}.txt"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(variant.text, encoding="utf-8")


def write_long_reads(files: list[Path], seeds: Path, total: int) -> None:
    """`total` files, each the headline of one BBC article over the bodies of it and three others (seeded)."""
    rng = random.Random(SEED)
    seeds.mkdir(parents=True, exist_ok=True)
    for i in range(total):
        picked = rng.sample(files, ARTICLES_PER_LONG_READ)
        parts = [parse_source(p.stem, p.parent.name, p.read_text(errors="replace")) for p in picked]
        body = "\n\n".join(paragraph for part in parts for paragraph in part.paragraphs)
        text = f"{parts[0].title} (long read {i})\n\n{body}\n"
        (seeds / f"long_{i:04d}.txt").write_text(text, encoding="utf-8")


def pipeline_env(work: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    return env | {
        "NEWS_SEEDS_DIR": str(work / "seeds"),
        "NEWS_WAREHOUSE_DIR": str(work / "warehouse"),
        "DAGSTER_HOME": str(work / "dagster"),
        "NEWS_SOURCES_FILE": str(work / "no-sources.yaml"),
        "DAGSTER_DISABLE_TELEMETRY": "1",
    }


def run_pipeline(work: Path) -> tuple[Measured, list[dict[str, Any]], int]:
    """`python -m pipelines run` on work/seeds; the measurement, the stages it recorded and the number of
    tokens it parsed."""
    measured = measure([sys.executable, "-m", "pipelines", "run"], env=pipeline_env(work), cwd=PROJECT_ROOT)
    if measured.returncode != 0:
        raise RuntimeError(f"pipeline run failed:\n{measured.stderr[-3000:]}")
    con = duckdb.connect(str(work / "warehouse" / "work" / "pipeline.duckdb"), read_only=True)
    try:
        cursor = con.execute("SELECT stage, rows_in, rows_new, seconds FROM pipeline_runs ORDER BY started_at")
        stages = [dict(zip(("stage", "rows_in", "rows_new", "seconds"), row, strict=True)) for row in cursor.fetchall()]
        # The texts the pipeline ran the model on: English canonical members (copies of a report are not
        # parsed again), so the ceiling is spaCy alone on exactly the model work the pipeline did.
        parsed = con.execute(
            "SELECT a.text, n.tokens FROM articles_base AS a JOIN article_nlp AS n USING (article_id) "
            "WHERE n.status = 'parsed' ORDER BY a.article_id"
        ).fetchall()
    finally:
        con.close()
    (work / "texts.jsonl").write_text("".join(json.dumps(text) + "\n" for text, _ in parsed), encoding="utf-8")
    return measured, stages, sum(tokens for _, tokens in parsed)


def model_ceiling(work: Path, processes: int, mode: str = "tuned") -> dict[str, Any]:
    """spaCy alone on the texts the pipeline parsed: with the pipeline's pipes and batches (tuned), or as a
    user of spaCy would run it, all default pipes through nlp.pipe (stock)."""
    measured = measure(
        [
            sys.executable,
            "-m",
            "pipelines.benchmarks.model_ceiling",
            str(work / "texts.jsonl"),
            str(processes),
            mode,
        ],
        env=pipeline_env(work),
        cwd=PROJECT_ROOT,
    )
    if measured.returncode != 0:
        raise RuntimeError(f"model ceiling failed:\n{measured.stderr[-3000:]}")
    return json.loads(measured.stdout.strip().splitlines()[-1]) | {
        "wall_seconds": round(measured.wall_seconds, 1),
        "cpu_seconds": round(measured.cpu_seconds, 1),
        "peak_rss_mib": round(measured.peak_rss_bytes / 2**20),
    }


def _stage_table(stages: list[dict[str, Any]]) -> str:
    lines = ["| stage | items in | seconds | items/s |", "|---|---:|---:|---:|"]
    for s in stages:
        rate = f"{s['rows_in'] / s['seconds']:,.0f}" if s["seconds"] and s["rows_in"] else "–"
        lines.append(f"| {s['stage']} | {s['rows_in']:,} | {s['seconds']:.1f} | {rate} |")
    return "\n".join(lines)


# The BBC benchmark's ceiling, for the scaled run in the same `make bench` (see _scaled_ceiling).
_MEASURED: dict[str, dict[str, Any]] = {}


def _scaled_ceiling(reference: dict[str, Any], tokens: int) -> dict[str, Any]:
    """The ceiling of a run whose parsed texts are the same reports as the reference's (the scaled run's
    canonical articles are the BBC articles): its measured time per token times these tokens. Saves a
    minute of `make bench`; run alone (`ONLY=scaled`), the scaled run measures its own."""
    share = tokens / reference["tokens"]
    keys = ("seconds", "wall_seconds", "cpu_seconds")
    return {k: v for k, v in reference.items() if k not in (*keys, "texts")} | {
        "tokens": tokens,
        **{k: round(reference[k] * share, 1) for k in keys},
        "estimated_from": f"BBC ceiling, {reference['tokens']:,} tokens in {reference['wall_seconds']} s",
    }


def _benchmark(name: str, prepare: Any, articles_label: str, reference: dict[str, Any] | None = None) -> Result:
    processes = worker_count()
    with tempfile.TemporaryDirectory(prefix="news-bench-") as tmp:
        work = Path(tmp)
        prepare(work / "seeds")
        inputs = sum(1 for p in (work / "seeds").rglob("*.txt"))
        e2e, stages, tokens = run_pipeline(work)
        ceiling = _scaled_ceiling(reference, tokens) if reference else model_ceiling(work, processes)
        stock = None if reference else model_ceiling(work, processes, "stock")
    _MEASURED[name] = ceiling
    throughput = inputs / e2e.wall_seconds
    ceiling_rate = inputs / ceiling["wall_seconds"]
    metrics = {
        "articles_in": inputs,
        "processes": processes,
        "wall_seconds": round(e2e.wall_seconds, 1),
        "cpu_seconds": round(e2e.cpu_seconds, 1),
        "peak_rss_mib": round(e2e.peak_rss_bytes / 2**20),
        "articles_per_second": round(throughput, 1),
        "model_ceiling": ceiling,
        "ceiling_articles_per_second": round(ceiling_rate, 1),
        "ratio_to_ceiling": round(throughput / ceiling_rate, 2),
        "stages": stages,
    }
    stock_lines = []
    if stock:
        stock_rate = inputs / stock["wall_seconds"]
        metrics |= {"stock_spacy": stock, "ratio_to_stock_spacy": round(throughput / stock_rate, 2)}
        stock_lines = [
            f"| stock spaCy on the same texts (all default pipes, `nlp.pipe(n_process={processes})`) | "
            f"{stock['wall_seconds']:.1f} | {stock['cpu_seconds']:.1f} | {stock['peak_rss_mib']:,} | {stock_rate:.1f} |"
        ]
    markdown = "\n".join(
        [
            f"{articles_label}: {inputs:,} files, {processes} processes.",
            "",
            "| | wall s | CPU s | peak RSS MiB | articles/s |",
            "|---|---:|---:|---:|---:|",
            f"| pipeline (`python -m pipelines run`) | {e2e.wall_seconds:.1f} | {e2e.cpu_seconds:.1f} | "
            f"{e2e.peak_rss_bytes / 2**20:,.0f} | {throughput:.1f} |",
            f"| spaCy alone on the texts the pipeline parsed ({tokens:,} tokens), same processes"
            f"{' (estimated: ' + ceiling['estimated_from'] + ')' if 'estimated_from' in ceiling else ''} | "
            f"{ceiling['wall_seconds']:.1f} | "
            f"{ceiling['cpu_seconds']:.1f} | {ceiling['peak_rss_mib']:,} | {ceiling_rate:.1f} |",
            *stock_lines,
            "",
            f"**End to end = {throughput / ceiling_rate:.2f} × the model ceiling**"
            + (f" **= {metrics['ratio_to_stock_spacy']:.2f} × stock spaCy.**" if stock else "."),
            "",
            _stage_table(stages),
        ]
    )
    return Result(name, markdown, metrics)


def run(data_dir: Path, quick: bool) -> Result:
    """The BBC corpus end to end."""
    files = corpus_files(data_dir)
    if not files:
        return Result(BBC_NAME, "", skipped=f"{data_dir / CORPUS} not found")
    if quick:
        files = files[:QUICK_ARTICLES]
    return _benchmark(BBC_NAME, lambda seeds: copy_corpus(files, seeds), "BBC corpus")


def run_scaled(data_dir: Path, quick: bool) -> Result:
    """20,000+ articles: the BBC corpus and seeded syndication variants of it."""
    files = corpus_files(data_dir)
    if not files:
        return Result("End to end, scaled", "", skipped=f"{data_dir / CORPUS} not found")
    total = 3 * QUICK_ARTICLES if quick else SCALED_ARTICLES
    if quick:
        files = files[:QUICK_ARTICLES]
    return _benchmark(
        "End to end, scaled",
        lambda seeds: write_variants(files, seeds, total),
        "BBC corpus + syndication variants",
        _MEASURED.get(BBC_NAME),
    )


def run_long_reads(data_dir: Path, quick: bool) -> Result:
    """800 long reads made of the BBC articles: peak memory when every text is long."""
    files = corpus_files(data_dir)
    if not files:
        return Result("End to end, long reads", "", skipped=f"{data_dir / CORPUS} not found")
    total = LONG_READS // 4 if quick else LONG_READS
    return _benchmark(
        "End to end, long reads",
        lambda seeds: write_long_reads(files, seeds, total),
        f"Long reads ({ARTICLES_PER_LONG_READ} BBC articles each)",
    )
