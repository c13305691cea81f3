"""Benchmark: NLP articles per second on real text, spaCy alone against the stages we run.

The BBC corpus (NEWS_EVAL_DIR/corpus/bbc, 2,225 articles) goes through the real ingest and cleaning
stages into a temporary warehouse, so the texts are exactly those the NLP stage sees. Then, on the
English articles, in one process and in one worker process per core (each with its own model, as
nlp_parses runs large batches):

- spaCy alone: the pipeline nlp_parses loads (tagger, parser, lemmatizer, NER and our two rules),
  documents discarded — the model's own speed on these texts;
- nlp_parses: the same plus DocBin serialisation and the warehouse write;
- entity_mentions + entities: reading the stored parses, mentions, in-article and cross-article
  linking, geocoding and their writes (one process: the model does not run here).

Two rates per row. Wall: articles per second of elapsed time, what you would see on an idle machine.
Per core: articles per CPU-second, counting the CPU of every process involved (worker processes
included), which stays honest when other programs share the cores. The overhead is what the pipeline
adds to spaCy's CPU time: the stored-parse write and the entity stages.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import tempfile
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pipelines.core import workers
from pipelines.core.nlp.gazetteer import place_candidates
from pipelines.core.nlp.model import load_pipeline
from pipelines.core.nlp.overrides import Overrides
from pipelines.core.nlp.parse import BATCH_SIZE, pipe
from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import all_shard_keys
from pipelines.core.stages.clean_documents import clean_pending_documents
from pipelines.core.stages.entity_linking import link_entities
from pipelines.core.stages.entity_mentions import extract_pending_mentions
from pipelines.core.stages.nlp_parse import parse_pending_articles
from pipelines.core.stages.seed_documents import ingest_seed_shards
from pipelines.core.storage import Session
from pipelines.core.storage.embedded import EmbeddedWarehouse
from pipelines.core.workers import worker_count
from pipelines.evaluation import Result

NAME = "nlp_entities"
QUICK_ARTICLES = 200
# It parses its sample four times (spaCy alone and the stages, on one process and on all): 250 articles keep
# `make bench` within its 15 minutes; the end-to-end benchmarks time the stages on the whole corpus.
ARTICLES = 250
WARM_UP_TEXTS = 8
RUN = "bench"


@dataclass(frozen=True)
class Timing:
    wall: float
    cpu: float  # CPU seconds of this process and of the child processes it waited for


def _cpu_now() -> float:
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.process_time() + children.ru_utime + children.ru_stime


def _timed(work: Callable[[], Any]) -> Timing:
    wall, cpu = time.monotonic(), _cpu_now()
    work()
    return Timing(time.monotonic() - wall, _cpu_now() - cpu)


def _parse_cpu(texts: Sequence[str]) -> float:
    """CPU seconds this process spends parsing `texts` with nlp_parses' pipeline (documents discarded)."""
    nlp = load_pipeline()
    started = time.process_time()
    for _ in pipe(nlp, texts):
        pass
    return time.process_time() - started


def _spacy_alone(texts: list[str], processes: int) -> tuple[Timing, float]:
    """spaCy alone on `texts` in `processes` processes, each model loaded and warmed up beforehand; and
    the wall seconds that start-up took (worker spawn, model load, warm-up)."""
    started = time.monotonic()
    if processes == 1:
        _parse_cpu(texts[:WARM_UP_TEXTS])
        ready = time.monotonic()
        cpu = _parse_cpu(texts)
        return Timing(time.monotonic() - ready, cpu), ready - started
    chunk = max(BATCH_SIZE, len(texts) // (processes * 4))
    chunks = [texts[i : i + chunk] for i in range(0, len(texts), chunk)]
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(processes, mp_context=context, initializer=load_pipeline) as pool:
        list(pool.map(_parse_cpu, [texts[:WARM_UP_TEXTS]] * processes))
        ready = time.monotonic()
        cpu = sum(pool.map(_parse_cpu, chunks))
        return Timing(time.monotonic() - ready, cpu), ready - started


def _ingest(session: Session, settings: Settings, limit: int | None) -> list[str]:
    keys = all_shard_keys()
    ingest_seed_shards(session, settings, keys, RUN)
    clean_pending_documents(session, keys, RUN)
    if limit is not None:
        session.con.execute(
            "DELETE FROM articles_base WHERE article_id NOT IN "
            "(SELECT article_id FROM articles_base WHERE language = 'en' ORDER BY article_id LIMIT ?)",
            [limit],
        )
    rows = session.con.execute("SELECT text FROM articles_base WHERE language = 'en' ORDER BY article_id")
    return [text for (text,) in rows.fetchall()]


def _stages(session: Session, processes: int) -> dict[str, Timing]:
    """nlp_parses, then the entity stages, from an empty NLP state."""
    session.con.execute("DELETE FROM article_nlp; DELETE FROM article_entities; DELETE FROM entity_mentions_base")
    session.con.execute("DELETE FROM entity_links; DELETE FROM entities; DELETE FROM warehouse_meta")
    keys = all_shard_keys()
    # The CPU of worker processes is counted when they exit (RUSAGE_CHILDREN): the shared pool is shut
    # down before the stage (its earlier work is not the stage's) and at its end.
    workers.shutdown()
    return {
        "nlp_parses": _timed(lambda: (parse_pending_articles(session, keys, RUN, processes), workers.shutdown())),
        "entities": _timed(
            lambda: (extract_pending_mentions(session, keys, RUN), link_entities(session, keys, RUN, Overrides()))
        ),
    }


def _row(label: str, stage: str, n: int, timing: Timing, note: str) -> str:
    return f"| {label} | {stage} | {n / timing.wall:.1f} | {n / timing.cpu:.1f} | {timing.wall:.1f} | {note} |"


def run(data_dir: Path, quick: bool) -> Result:
    corpus = data_dir / "corpus" / "bbc"
    if not corpus.is_dir():
        return Result(NAME, "", skipped=f"{corpus} not found (set NEWS_EVAL_DIR)")
    cores = worker_count()
    load = _timed(lambda: (load_pipeline(), place_candidates("warm-up")))  # one-time, per process
    with tempfile.TemporaryDirectory() as tmp, EmbeddedWarehouse(Path(tmp)).session() as session:
        texts = _ingest(session, Settings(corpus, Path(tmp)), QUICK_ARTICLES if quick else ARTICLES)
        n = len(texts)
        alone, startup = {}, {}
        for processes in (1, cores):
            alone[processes], startup[processes] = _spacy_alone(texts, processes)
        stages = {processes: _stages(session, processes) for processes in (1, cores)}
        mentions, entities = session.count("entity_mentions_base"), session.count("entities")
    rows = []
    metrics: dict[str, Any] = {"articles": n, "cores": cores, "pipes": load_pipeline().pipe_names}
    for processes in (1, cores):
        label = "1 process" if processes == 1 else f"{processes} processes"
        parse, entity = stages[processes]["nlp_parses"], stages[processes]["entities"]
        total = Timing(parse.wall + entity.wall, parse.cpu + entity.cpu)
        overhead = 100 * (total.cpu / alone[processes].cpu - 1)
        rows += [
            _row(label, "spaCy alone", n, alone[processes], "the model's own speed"),
            _row(label, "nlp_parses", n, parse, "spaCy + DocBin + write"),
            _row(label, "entity_mentions + entities", n, entity, "always one process"),
            _row(label, "NLP total", n, total, f"+{overhead:.0f}% CPU over spaCy alone"),
        ]
        metrics[f"processes_{processes}"] = {
            "spacy_alone": {
                "per_s": round(n / alone[processes].wall, 2),
                "per_cpu_s": round(n / alone[processes].cpu, 2),
            },
            "nlp_parses": {"per_s": round(n / parse.wall, 2), "per_cpu_s": round(n / parse.cpu, 2)},
            "entities": {"per_s": round(n / entity.wall, 2), "per_cpu_s": round(n / entity.cpu, 2)},
            "total": {"per_s": round(n / total.wall, 2), "per_cpu_s": round(n / total.cpu, 2)},
            "overhead_cpu_pct": round(overhead, 1),
        }
    metrics.update(mentions=mentions, entities=entities, load_s=round(load.wall, 2), pool_start_s=startup[cores])
    pipes = ", ".join(load_pipeline().pipe_names)
    table = "\n".join(
        [
            f"{n} English BBC articles, {cores} worker processes on {os.cpu_count()} CPUs; pipes: {pipes}",
            "",
            "| processes | stage | articles/s (wall) | articles per CPU-second | wall seconds | note |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
            f"{mentions} mentions, {entities} entities. Not in the rates: loading the model and the gazetteer, "
            f"{load.wall:.1f} s once per process. A pool of {cores} workers takes {startup[cores]:.1f} s to start "
            "(spawn, model load, warm-up): excluded from spaCy alone, included in nlp_parses (once per run: "
            "the pool is shared by the stages of a run).",
        ]
    )
    return Result(NAME, table, metrics)
