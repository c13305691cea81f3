"""Speed benchmarks (`make bench`): measured, written to JSON and Markdown, never asserted in tests.

A module registers itself in BENCHMARKS with a function `run(data_dir: Path, quick: bool) -> Result`
(pipelines.evaluation.Result). `quick` (BENCH_QUICK=1) shrinks sizes for a smoke run. Corpus data is
read from NEWS_EVAL_DIR like the evaluations; benchmarks that need it skip cleanly without it.
"""

from __future__ import annotations

# name -> "module:function"
BENCHMARKS: dict[str, str] = {
    "end_to_end": "pipelines.benchmarks.end_to_end:run",
    "scaled": "pipelines.benchmarks.end_to_end:run_scaled",
    "extraction_speed": "pipelines.benchmarks.extraction:run",
    "feed_parsing_speed": "pipelines.benchmarks.feed_parsing:run",
    "dedupe": "pipelines.benchmarks.dedupe_index:run",
    "incremental": "pipelines.benchmarks.incremental:run",
    "latency": "pipelines.benchmarks.latency:run",
}
# Run only when named (`make bench ONLY=nlp_entities`), which keeps `make bench` under 15 minutes:
# nlp_entities, the NLP stages with one and two processes next to spaCy alone on a 250-article sample
# (end_to_end's stage table covers the same stages at full size); dedupe_1m, the dedupe index scaling
# with a million-article history as well (two minutes to build); long_reads, end to end on 800 texts four
# times the BBC's length, for the parse's memory (four minutes); lake, the DuckLake backend against the DuckDB
# file where the stages rely on indexes and keys (needs PostgreSQL; two minutes); scale_model, throughput and
# cost for N workers from measured costs and which bound binds (a lake commit is timed when PostgreSQL is there);
# parallel_batches, two runs over two batches of BBC articles through the cluster profile, whose parse steps
# run at once on the two workers (needs the cluster profile's programs; about five minutes).
ON_REQUEST: dict[str, str] = {
    "scale_model": "pipelines.benchmarks.scale_model:run",
    "parallel_batches": "pipelines.benchmarks.parallel_batches:run",
    "lake": "pipelines.benchmarks.lake_storage:run",
    "long_reads": "pipelines.benchmarks.end_to_end:run_long_reads",
    "nlp_entities": "pipelines.benchmarks.nlp_entities:run",
    "dedupe_1m": "pipelines.benchmarks.dedupe_index:run_large",
}
