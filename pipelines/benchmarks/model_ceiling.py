"""The model ceiling: spaCy alone on the given texts, with the pipeline's own model, pipes and batches and the
same number of worker processes, storing nothing. End-to-end throughput is reported as a ratio of this.

    python -m pipelines.benchmarks.model_ceiling TEXTS.txt PROCESSES   (one text per line, JSON-encoded)
Prints one JSON line: texts, tokens, seconds (including worker start and model load, as the pipeline pays).
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from pipelines.core.nlp.model import load_pipeline
from pipelines.core.nlp.parse import BATCH_SIZE, pipe


def _tokens(texts: list[str]) -> int:
    return sum(len(doc) for doc in pipe(load_pipeline(), texts))


def main(path: str, processes: str) -> int:
    texts = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
    workers = int(processes)
    started = time.monotonic()
    if workers <= 1:
        tokens = _tokens(texts)
    else:
        chunk = max(BATCH_SIZE, len(texts) // (workers * 4))
        chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
        context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context, initializer=load_pipeline) as pool:
            tokens = sum(pool.map(_tokens, chunks))
    print(json.dumps({"texts": len(texts), "tokens": tokens, "seconds": round(time.monotonic() - started, 2)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
