"""The model ceiling: spaCy alone on the given texts, with the pipeline's own model, pipes and batches and the
same number of worker processes, storing nothing. End-to-end throughput is reported as a ratio of this.

    python -m pipelines.benchmarks.model_ceiling TEXTS.txt PROCESSES [stock]   (one text per line, JSON-encoded)
Prints one JSON line: texts, tokens, seconds (including worker start and model load, as the pipeline pays).

`stock` measures what a user of spaCy alone would run instead: the same model with all its default pipes,
through `nlp.pipe(texts, n_process=PROCESSES)` with spaCy's default batch size. The tuned ceiling is the
fairer bound of the model work; the stock one is what "as fast as spaCy" means to a reader.
"""

from __future__ import annotations

import json
import multiprocessing
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import spacy

from pipelines.core.nlp.model import MODEL_PACKAGE, load_pipeline
from pipelines.core.nlp.parse import BATCH_SIZE, pipe


def _tokens(texts: list[str]) -> int:
    return sum(len(doc) for doc in pipe(load_pipeline(), texts))


def _stock_tokens(texts: list[str], workers: int) -> int:
    return sum(len(doc) for doc in spacy.load(MODEL_PACKAGE).pipe(texts, n_process=workers))


def main(path: str, processes: str, mode: str = "tuned") -> int:
    texts = [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line]
    workers = int(processes)
    started = time.monotonic()
    if mode == "stock":
        tokens = _stock_tokens(texts, workers)
    elif workers <= 1:
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
    raise SystemExit(main(*sys.argv[1:4]))
