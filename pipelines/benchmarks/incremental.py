"""Incremental cost: one new file, then ten, into warehouses holding 1k, 10k and 100k articles.

The 1k warehouse is real: 1,000 BBC articles through `python -m pipelines run`. The larger ones are that
warehouse with every per-article row cloned 9 or 99 times under new ids, which takes seconds where
running the pipeline on 100k articles would take an hour, and gives the tables the sizes that matter:
documents with their bytes, parses, mentions, events, search postings, LSH bands. The clones are kept
honest where the pipeline would notice: each copy's seed files exist (hard links in their own folder,
so the folder holds as many files as the warehouse has documents, with the size and mtime recorded),
batch keys are the shards of the copies' paths, LSH band keys are redrawn (copies of one text would
otherwise pile into the same buckets, which real distinct articles do not), the corpus statistics of
the story clusterer scale with the copies, and copy k is dated k × 31 days back (a history of 100
months, each as busy as the 1k warehouse, so the 30-day story window holds as many stories as there).
Then the published file is rebuilt, as a warehouse that has been published before has its standby ready.

The new files are BBC articles outside the 1,000; each measurement runs only the shards they fall in,
as the seed sensor does, through the real job in a fresh process (`python -m pipelines run --partitions`).
One new file is measured twice per size, the sizes taking turns, and the two averaged: the
machine's speed drifts by ±10 % over minutes, which a single run per size mistakes for growth.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa

from pipelines.benchmarks.end_to_end import corpus_files, pipeline_env
from pipelines.benchmarks.measure import measure
from pipelines.core.settings import PROJECT_ROOT
from pipelines.core.sources.seed_folder import shard_key, shard_of
from pipelines.core.storage.embedded import EmbeddedWarehouse, connect_for_writing
from pipelines.core.stories.clustering import WINDOW_DAYS
from pipelines.evaluation import Result

BASE_ARTICLES = 1_000
SCALES = (1, 10, 100)
QUICK_SCALES = (1, 3)
# One-file runs per warehouse size (the median is reported), and one ten-file run per size.
ONE_FILE_REPEATS = 2
COPIES_DIR = "copies"
# Copy k is dated k × this many days back: more than the story window (30 days), so the stories a new
# article is compared with are as many as in the 1k warehouse. The warehouse grows by history at a
# steady rate; what a denser stream costs is the end-to-end benchmarks' business.
COPY_SPACING_DAYS = WINDOW_DAYS + 1

# Columns that identify a row of one article's data (suffixed per copy); entity ids are shared on purpose:
# the same people and places recur across a real warehouse.
_ID_COLUMNS = {
    "article_id",
    "document_id",
    "dup_group_id",
    "canonical_article_id",
    "matched_article_id",
    "founder_article_id",
    "opening_article_id",
    "story_id",
    "event_id",
    "reject_id",
}
_DATED_COLUMNS = {"published_at", "first_seen_at", "first_published_at", "last_published_at", "last_seen_at"}
_PATH_COLUMNS = {"uri", "identity_key"}  # 'seeds/<relpath>' or 'seed_folder:seeds/<relpath>'
# Not per article (shared, global or run bookkeeping): left as they are.
_NOT_CLONED = {
    "entities",
    "entity_links",
    "story_vocabulary",
    "warehouse_meta",
    "schema_migrations",
    "write_log_position",
    "pipeline_runs",
    "sources",
    "fetches",
    "feed_entries",
}


def _copy_prefix() -> str:
    return f"'{COPIES_DIR}/' || lpad(c.k::VARCHAR, 3, '0') || '/'"


def _expression(table: str, column: str) -> str:
    if column in _ID_COLUMNS:
        return f"t.{column} || '~' || c.k"
    if column in _DATED_COLUMNS:
        return f"t.{column} - to_days((c.k * {COPY_SPACING_DAYS})::INTEGER)"
    if column in _PATH_COLUMNS:
        return rf"regexp_replace(t.{column}, '^((?:seed_folder:)?[^/]+/)', '\1' || {_copy_prefix()})"
    if column == "relpath":
        return f"{_copy_prefix()} || t.relpath"
    if column == "band_key":
        return "(hash(t.band_key, c.k) % 4294967296)::UINTEGER"
    if column == "batch_key" and table != "seed_files":
        return "coalesce(m.batch_key, t.batch_key)"
    if column == "batch_key":
        return "m.batch_key"
    return f"t.{column}"


def _batch_join(table: str, columns: list[str]) -> str:
    """How a cloned row finds the batch key of its copy's file: through its file, document or article."""
    if "batch_key" not in columns:
        return ""
    if table == "seed_files":
        return "JOIN copy_files AS m ON m.k = c.k AND m.relpath = t.relpath"
    if "document_id" in columns:
        return "LEFT JOIN copy_documents AS m ON m.k = c.k AND m.document_id = t.document_id"
    if "article_id" in columns:
        return "LEFT JOIN copy_articles AS m ON m.k = c.k AND m.article_id = t.article_id"
    return ""


def clone_warehouse(working: Path, copies: int) -> dict[str, int]:
    """Add `copies` clones of every per-article row of the working database; rows per table after."""
    con = connect_for_writing(working)  # as the pipeline writes it (row group size)
    try:
        files = con.execute("SELECT relpath FROM seed_files").fetchall()
        k_col, rel_col, key_col = [], [], []
        for k in range(1, copies + 1):
            for (relpath,) in files:
                k_col.append(k)
                rel_col.append(relpath)
                key_col.append(shard_key(shard_of(f"{COPIES_DIR}/{k:03d}/{relpath}")))
        copy_files = pa.table({"k": k_col, "relpath": rel_col, "batch_key": key_col})
        con.register("copy_files_arrow", copy_files)
        con.execute("CREATE TEMP TABLE copies AS SELECT range AS k FROM range(1, ?)", [copies + 1])
        con.execute("CREATE TEMP TABLE copy_files AS SELECT * FROM copy_files_arrow")
        con.execute(
            """CREATE TEMP TABLE copy_documents AS
               SELECT m.k, s.document_id, m.batch_key FROM copy_files AS m JOIN seed_files AS s USING (relpath)"""
        )
        con.execute(
            """CREATE TEMP TABLE copy_articles AS
               SELECT m.k, a.article_id, m.batch_key FROM copy_documents AS m
               JOIN articles_base AS a USING (document_id)"""
        )
        tables = [
            r[0]
            for r in con.execute(
                "SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() ORDER BY 1"
            ).fetchall()
            if r[0] not in _NOT_CLONED
        ]
        counts = {}
        for table in tables:
            columns = [
                r[0]
                for r in con.execute(
                    "SELECT column_name FROM duckdb_columns() "
                    "WHERE database_name = current_database() AND table_name = ? "
                    "ORDER BY column_index",
                    [table],
                ).fetchall()
            ]
            select = ", ".join(_expression(table, col) for col in columns)
            con.execute(
                f"INSERT INTO {table} SELECT {select} FROM {table} AS t CROSS JOIN copies AS c "
                f"{_batch_join(table, columns)}"
            )
            counts[table] = con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        # The clusterer's document frequencies count every article: the copies count too.
        con.execute("UPDATE story_vocabulary SET df = df * ?", [copies + 1])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return counts


def link_copies(seeds: Path, base: list[Path], copies: int) -> None:
    """Each copy's seed files: hard links to the originals (same size and mtime as recorded)."""
    for k in range(1, copies + 1):
        for path in base:
            target = seeds / COPIES_DIR / f"{k:03d}" / path.relative_to(seeds)
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(path, target)


def republish(warehouse_dir: Path) -> None:
    """Publish the cloned warehouse from scratch, twice: the second leaves a standby ready for replay,
    as a warehouse that has been published before has."""
    shutil.rmtree(warehouse_dir / "work" / "standby", ignore_errors=True)
    (warehouse_dir / "news.duckdb").unlink(missing_ok=True)
    warehouse = EmbeddedWarehouse(warehouse_dir)
    for _ in range(2):
        with warehouse.session() as session:
            warehouse.publish(session, force=True)


_INGESTED = re.compile(r"Ingested .* in ([0-9.]+) s")


def _article_count(work: Path) -> int:
    con = duckdb.connect(str(work / "warehouse" / "work" / "pipeline.duckdb"), read_only=True)
    try:
        return con.execute("SELECT count(*) FROM articles_base").fetchone()[0]
    finally:
        con.close()


def ingest(work: Path, new: list[Path]) -> dict[str, Any]:
    """Drop `new` into the seed folder and run the shards they fall in; what it cost."""
    before = _article_count(work)
    relpaths = []
    for path in new:
        target = work / "seeds" / "new" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
        relpaths.append(target.relative_to(work / "seeds").as_posix())
    shards = sorted({shard_key(shard_of(r)) for r in relpaths})
    command = [sys.executable, "-m", "pipelines", "run", "--partitions", ",".join(shards)]
    measured = measure(command, env=pipeline_env(work), cwd=PROJECT_ROOT)
    if measured.returncode != 0:
        raise RuntimeError(f"incremental run failed:\n{measured.stderr[-3000:]}")
    found = _INGESTED.search(measured.stdout)
    con = duckdb.connect(str(work / "warehouse" / "work" / "pipeline.duckdb"), read_only=True)
    try:
        run_id = con.execute("SELECT run_id FROM pipeline_runs ORDER BY started_at DESC LIMIT 1").fetchone()[0]
        stages = dict(con.execute("SELECT stage, seconds FROM pipeline_runs WHERE run_id = ?", [run_id]).fetchall())
    finally:
        con.close()
    return {
        "files": len(new),
        "shards": len(shards),
        "wall_seconds": round(measured.wall_seconds, 2),
        "run_seconds": float(found.group(1)) if found else None,
        "stage_seconds": round(sum(stages.values()), 2),
        "publish_seconds": round(stages.get("publish", 0.0), 2),
        "articles_before": before,
        "articles_after": _article_count(work),
        "stages": {k: round(v, 2) for k, v in stages.items()},
    }


def _build_base(work: Path, files: list[Path]) -> float:
    seeds = work / "seeds"
    for path in files:
        target = seeds / "bbc" / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)
    measured = measure([sys.executable, "-m", "pipelines", "run"], env=pipeline_env(work), cwd=PROJECT_ROOT)
    if measured.returncode != 0:
        raise RuntimeError(f"base run failed:\n{measured.stderr[-3000:]}")
    return measured.wall_seconds


def _scaled_copy(base: Path, target: Path, copies: int) -> dict[str, Any]:
    """The base warehouse and seed folder at (copies + 1) × the size."""
    started = time.monotonic()
    shutil.copytree(base / "seeds", target / "seeds", copy_function=os.link)
    (target / "warehouse" / "work").mkdir(parents=True)
    shutil.copyfile(base / "warehouse" / "work" / "pipeline.duckdb", target / "warehouse" / "work" / "pipeline.duckdb")
    shutil.copytree(base / "dagster", target / "dagster")
    counts = {}
    if copies:
        originals = sorted(p for p in (target / "seeds").rglob("*") if p.is_file())
        link_copies(target / "seeds", originals, copies)
        counts = clone_warehouse(target / "warehouse" / "work" / "pipeline.duckdb", copies)
    republish(target / "warehouse")
    return {"build_seconds": round(time.monotonic() - started, 1), "rows": counts}


def run(data_dir: Path, quick: bool) -> Result:
    """One and ten new files into warehouses of 1k, 10k and 100k articles."""
    files = corpus_files(data_dir)
    base_count = 100 if quick else BASE_ARTICLES
    scales = QUICK_SCALES if quick else SCALES
    if len(files) < base_count + (ONE_FILE_REPEATS + 10) * len(scales):
        return Result("Incremental cost", "", skipped=f"{data_dir / 'corpus' / 'bbc'} not found or too small")
    step = len(files) // base_count
    base_files = files[::step][:base_count]
    fresh = iter([f for f in files if f not in set(base_files)])
    measurements, builds = [], {}
    with tempfile.TemporaryDirectory(prefix="news-bench-incr-") as tmp:
        root = Path(tmp)
        base_seconds = _build_base(root / "base", base_files)
        works = {scale: root / f"x{scale}" for scale in scales}
        for scale, work in works.items():
            builds[scale] = _scaled_copy(root / "base", work, scale - 1)
        # The sizes take turns, so a machine that speeds up or slows down over the minutes this takes
        # weighs on every size alike; the one-file time of a size is the median of its repeats.
        for repeat in range(ONE_FILE_REPEATS):
            for scale, work in works.items():
                measurements.append({"scale": scale, "repeat": repeat, **ingest(work, [next(fresh)])})
        for scale, work in works.items():
            measurements.append({"scale": scale, "repeat": 0, **ingest(work, [next(fresh) for _ in range(10)])})
    metrics = {
        "base_files": base_count,
        "base_run_seconds": round(base_seconds, 1),
        "builds": builds,
        "runs": measurements,
        "one_file_median_job_seconds": {scale: _median(measurements, scale, 1, "run_seconds") for scale in scales},
    }
    return Result("Incremental cost", _markdown(measurements), metrics)


def _median(runs: list[dict[str, Any]], scale: int, files: int, key: str) -> float:
    return statistics.median(r[key] for r in runs if r["scale"] == scale and r["files"] == files)


def _ratio(runs: list[dict[str, Any]], files: int, key: str) -> str:
    scales = sorted({r["scale"] for r in runs})
    low, high = _median(runs, scales[0], files, key), _median(runs, scales[-1], files, key)
    return f"{high / low:.2f}" if len(scales) > 1 and low else "–"


def _markdown(runs: list[dict[str, Any]]) -> str:
    lines = [
        "| articles in warehouse | new files | shards run | wall s | job s | stages s | publish s |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for r in sorted(runs, key=lambda r: (r["scale"], r["files"], r["repeat"])):
        lines.append(
            f"| {r['articles_before']:,} | {r['files']} | {r['shards']} | {r['wall_seconds']:.1f} | "
            f"{r['run_seconds']:.1f} | {r['stage_seconds']:.2f} | {r['publish_seconds']:.2f} |"
        )
    largest = max(r["articles_before"] for r in runs)
    smallest = min(r["articles_before"] for r in runs)
    lines += [
        "",
        f"Largest / smallest warehouse ({largest:,} / {smallest:,} articles), job time: one file (median of "
        f"{ONE_FILE_REPEATS} runs per size) "
        f"{_ratio(runs, 1, 'run_seconds')}×, ten files {_ratio(runs, 10, 'run_seconds')}×; "
        f"publish: one file {_ratio(runs, 1, 'publish_seconds')}×, ten files {_ratio(runs, 10, 'publish_seconds')}×.",
        "wall = the whole `python -m pipelines run --partitions …` process (imports, Dagster start, the job, the "
        "summary); job = the job as the run reports it; stages = the sum of its stages' own timings; publish = "
        "the publish stage (search index, then the write-log replay onto a standby and the rename).",
    ]
    return "\n".join(lines)
