"""`make bench ONLY=dedupe`: MinHash speed, and what grouping one more article costs as history grows
(10k and 100k articles; `ONLY=dedupe_1m` adds a million, whose history alone takes two minutes to build).

Signatures/second are measured on the BBC corpus bodies (synthetic text when the corpus is absent).

Index scaling: for each history size a child process builds a warehouse holding that many grouped
articles (random signatures, their 32 band rows each, singleton groups; articles_base rows with a
one-line text), and a fresh child process then runs the real near-duplicates stage on chunks of new
articles (random 400-word texts) in it, one run per chunk, as incremental runs would. The stage's time
is split into what each article pays in the warehouse (candidate lookup in the band index, inserts,
group rows: the stage time minus signing the same texts and minus the run's scan for pending articles)
and what a run pays once (that scan). The first run is reported whole: it also pays for DuckDB loading
the band index from disk, which every new process pays once. Peak RSS is the measuring child's, so the
build does not count in it. Random signatures share almost no buckets, so this measures the index, not
candidate verification.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import resource
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa

from pipelines.core import minhash
from pipelines.core.ids import stable_id
from pipelines.core.settings import DEFAULT_DEDUPE_THRESHOLD
from pipelines.core.stages.near_duplicates import dedupe_version, group_near_duplicates
from pipelines.core.storage import Session
from pipelines.core.storage.embedded import EmbeddedWarehouse, connect_for_writing
from pipelines.evaluation import Result
from pipelines.evaluation.dedupe_labels import CORPUS, read_sources

SIZES = (10_000, 100_000)
LARGE_SIZES = (*SIZES, 1_000_000)
QUICK_SIZES = (1_000, 10_000)
CHUNKS, CHUNK_ARTICLES = 6, 500
BUILD_BATCH = 100_000
_SEEN = datetime(2026, 1, 1)
_VOCABULARY = [f"w{i}" for i in range(20_000)]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def _article_rows(ids: list[str], texts: list[str], batch: str) -> pa.Table:
    n = len(ids)
    return pa.table(
        {
            "article_id": ids,
            "document_id": ids,
            "batch_key": [batch] * n,
            "identity_key": ids,
            "language": ["en"] * n,
            "text": texts,
            "word_count": [len(t.split()) for t in texts],
            "text_hash": [stable_id("text", t) for t in texts],
            "cleaner_version": ["bench"] * n,
            "first_seen_at": [_SEEN] * n,
            "updated_at": [_SEEN] * n,
        }
    )


def build_history(directory: str, size: int, version: str) -> dict[str, float]:
    """A warehouse with `size` grouped articles, inserted in bulk batches as a long history would be.
    Written past the write log (a third of the build time at 1M articles): the history is set up, not
    measured, and this warehouse is never published."""
    started = time.monotonic()
    rng = np.random.default_rng(size)
    warehouse = EmbeddedWarehouse(Path(directory))
    with warehouse.session():  # creates and migrates the file
        pass
    con = connect_for_writing(warehouse.work_path)
    con.execute("SET force_compression = 'zstd'")  # as the pipeline writes
    session = Session(con)
    try:
        for start in range(0, size, BUILD_BATCH):
            ids = [f"{i:016x}" for i in range(start, min(size, start + BUILD_BATCH))]
            texts = [f"history article {i}" for i in range(start, start + len(ids))]
            sigs = rng.integers(0, 2**32, size=(len(ids), minhash.NUM_PERM), dtype=np.uint32)
            keys = minhash.band_keys(sigs)
            articles = _article_rows(ids, texts, "history")
            hashes = articles.column("text_hash").to_pylist()
            with session.transaction():
                session.insert("articles_base", articles)
                session.insert(
                    "article_signatures",
                    pa.table(
                        {
                            "article_id": ids,
                            "signed_text_hash": hashes,
                            "minhash": [minhash.to_bytes(s) for s in sigs],
                            "dedupe_version": [version] * len(ids),
                            "signed_at": [_SEEN] * len(ids),
                        }
                    ),
                )
                session.insert(
                    "lsh_bands",
                    pa.table(
                        {
                            "band_key": pa.array(keys.ravel(), pa.uint32()),
                            "article_id": np.repeat(np.array(ids, dtype=object), minhash.BANDS),
                        }
                    ),
                )
                groups = [stable_id("dup_group", a, h) for a, h in zip(ids, hashes, strict=True)]
                session.insert(
                    "article_dups",
                    pa.table(
                        {
                            "article_id": ids,
                            "dup_group_id": groups,
                            "canonical_article_id": ids,
                            "similarity_to_canonical": [1.0] * len(ids),
                            "dup_method": ["canonical"] * len(ids),
                            "dedupe_version": [version] * len(ids),
                            "grouped_at": [_SEEN] * len(ids),
                        }
                    ),
                )
                session.insert(
                    "dup_groups",
                    pa.table(
                        {
                            "dup_group_id": groups,
                            "canonical_article_id": ids,
                            "size": [1] * len(ids),
                            "founder_article_id": ids,
                            "created_at": [_SEEN] * len(ids),
                            "updated_at": [_SEEN] * len(ids),
                        }
                    ),
                )
        session.set_meta("dedupe_version", version)
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return {"build_seconds": time.monotonic() - started, "build_peak_rss_mb": _peak_rss_mb()}


def measure_increments(directory: str, size: int) -> dict[str, Any]:
    """Run the stage on CHUNKS chunks of new articles, one run each, and split its time into what a run
    pays once (finding pending articles: a scan of articles_base) and what each article pays (signing,
    candidate lookup, inserts, group rows). The first run is reported whole: it also loads the index."""
    rng = random.Random(size)
    warehouse = EmbeddedWarehouse(Path(directory))
    stage_ms, index_ms, pending_ms = [], [], []
    with warehouse.session() as session:
        for chunk in range(CHUNKS):
            ids = [f"new{size}-{chunk}-{i}" for i in range(CHUNK_ARTICLES)]
            texts = [" ".join(rng.choices(_VOCABULARY, k=400)) for _ in ids]
            session.insert("articles_base", _article_rows(ids, texts, "new"))
            started = time.perf_counter()
            session.arrow("pending_near_duplicates")
            pending = time.perf_counter() - started
            started = time.perf_counter()
            report = group_near_duplicates(session, ["new"], "bench", chunk_size=CHUNK_ARTICLES)
            stage = time.perf_counter() - started
            started = time.perf_counter()
            minhash.signatures(texts)
            signing = time.perf_counter() - started
            assert report.rows_in == CHUNK_ARTICLES, report
            stage_ms.append(1000 * stage)
            pending_ms.append(1000 * pending)
            index_ms.append(1000 * (stage - pending - signing) / CHUNK_ARTICLES)
    return {
        "first_run_s": stage_ms[0] / 1000,
        "index_ms_per_article": statistics.median(index_ms[1:]),
        "stage_ms_per_article": statistics.median(stage_ms[1:]) / CHUNK_ARTICLES,
        "pending_ms_per_run": statistics.median(pending_ms[1:]),
        "peak_rss_mb": _peak_rss_mb(),
        "file_mb": warehouse.work_path.stat().st_size / 1e6,
    }


def _in_child(target: Any, *args: Any) -> Any:
    """Run target(*args) in a fresh process (its own peak RSS, its own DuckDB instance) and return its
    result."""
    ctx = multiprocessing.get_context("spawn")
    # The history is built in one transaction of up to a million articles, not in the pipeline's chunks:
    # the child gets a larger DuckDB memory limit (the environment is copied when it starts).
    previous = os.environ.get("NEWS_DUCKDB_MEMORY")
    os.environ["NEWS_DUCKDB_MEMORY"] = "8GB"
    try:
        with ctx.Pool(1) as pool:
            return pool.apply(target, args)
    finally:
        if previous is None:
            del os.environ["NEWS_DUCKDB_MEMORY"]
        else:
            os.environ["NEWS_DUCKDB_MEMORY"] = previous


def signature_speed(data_dir: Path, quick: bool) -> dict[str, float]:
    if (data_dir / CORPUS).is_dir():
        texts = ["\n\n".join(s.paragraphs) for s in read_sources(data_dir)]
        source = "BBC corpus bodies"
    else:
        rng = random.Random(0)
        texts = [" ".join(rng.choices(_VOCABULARY, k=400)) for _ in range(2000)]
        source = "synthetic 400-word texts"
    rounds = 1 if quick else 3
    started = time.perf_counter()
    for _ in range(rounds):
        minhash.signatures(texts)
    seconds = time.perf_counter() - started
    words = sum(len(t.split()) for t in texts) * rounds
    return {"source": source, "signatures_per_s": len(texts) * rounds / seconds, "words_per_s": words / seconds}


def run(data_dir: Path, quick: bool) -> Result:
    return _run(data_dir, quick, SIZES, "dedupe")


def run_large(data_dir: Path, quick: bool) -> Result:
    return _run(data_dir, quick, LARGE_SIZES, "dedupe_1m")


def _run(data_dir: Path, quick: bool, sizes: tuple[int, ...], name: str) -> Result:
    speed = signature_speed(data_dir, quick)
    rows = []
    for size in QUICK_SIZES if quick else sizes:
        with tempfile.TemporaryDirectory(prefix=f"dedupe-bench-{size}-") as tmp:
            built = _in_child(build_history, tmp, size, dedupe_version(DEFAULT_DEDUPE_THRESHOLD))
            measured = _in_child(measure_increments, tmp, size)
        rows.append({"articles_in_index": size, **built, **measured})
    base = rows[0]["index_ms_per_article"]
    lines = [
        f"MinHash ({minhash.NUM_PERM} permutations, {minhash.SHINGLE_WORDS}-word shingles) on "
        f"{speed['source']}: **{speed['signatures_per_s']:,.0f} signatures/s** "
        f"({speed['words_per_s']:,.0f} words/s), one core.",
        "",
        f"Grouping new articles with the near-duplicates stage, runs of {CHUNK_ARTICLES} articles "
        f"(medians of runs 2-{CHUNKS}). *Index* = candidate lookup in lsh_bands + inserts + group rows, per "
        "article; *stage* adds signing and the run's scan for pending articles, spread over the run.",
        "",
        "| articles in index | index ms / article | vs smallest | stage ms / article | pending scan ms / run "
        "| first run s (loads the index) | peak RSS (runs) | warehouse file | build s | peak RSS (build) |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        lines.append(
            f"| {r['articles_in_index']:,} | {r['index_ms_per_article']:.2f} | "
            f"{r['index_ms_per_article'] / base:.2f}× | {r['stage_ms_per_article']:.2f} | "
            f"{r['pending_ms_per_run']:.0f} | {r['first_run_s']:.1f} | {r['peak_rss_mb']:,.0f} MB | "
            f"{r['file_mb']:,.0f} MB | {r['build_seconds']:.0f} | {r['build_peak_rss_mb']:,.0f} MB |"
        )
    return Result(name, "\n".join(lines), {"signatures": speed, "index": rows})
