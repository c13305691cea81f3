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
    "nlp_entities": "pipelines.benchmarks.nlp_entities:run",
}
