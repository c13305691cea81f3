"""Parse articles once and store the result, so entities and events never run the model again.

A parse is stored as a one-document spaCy DocBin (~7 KB per 500-token article; rebuilding the Doc takes
under 1 ms) holding tokens, lemmas, POS/tags, the dependency tree, sentence starts and entities —
everything the entity linker and the event coder read.

Large batches are parsed by worker processes, each with its own model, returning bytes: DESIGN §9
measured that faster than `nlp.pipe(n_process=2)`, which pickles whole Docs back.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass

from spacy.lang.en import English
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab, create_vocab

from pipelines.core.nlp.model import load_pipeline

DOC_ATTRS = ["ORTH", "SPACY", "LEMMA", "POS", "TAG", "MORPH", "DEP", "HEAD", "SENT_START", "ENT_IOB", "ENT_TYPE"]
BATCH_SIZE = 32
# Below this many texts a worker pool costs more (spawn + model load ≈ 3 s each) than it saves.
MIN_TEXTS_FOR_WORKERS = 200


@dataclass(frozen=True)
class Parsed:
    key: str
    docbin: bytes
    sentences: int
    tokens: int


def serialize_doc(doc: Doc) -> bytes:
    docbin = DocBin(attrs=DOC_ATTRS, store_user_data=False)
    docbin.add(doc)
    return docbin.to_bytes()


def deserialize_doc(vocab: Vocab, data: bytes) -> Doc:
    """The stored Doc, with parse and entities, using `vocab` (e.g. load_pipeline().vocab)."""
    return next(DocBin().from_bytes(data).get_docs(vocab))


def _parse_chunk(items: Sequence[tuple[str, str]]) -> list[Parsed]:
    nlp = load_pipeline()
    keys = [key for key, _ in items]
    out = []
    for key, doc in zip(keys, nlp.pipe((text for _, text in items), batch_size=BATCH_SIZE), strict=True):
        out.append(Parsed(key, serialize_doc(doc), sum(1 for _ in doc.sents), len(doc)))
    return out


def worker_count() -> int:
    """Processes for large batches: NEWS_NLP_PROCESSES, default every core."""
    raw = os.environ.get("NEWS_NLP_PROCESSES")
    return max(1, int(raw)) if raw else max(1, os.cpu_count() or 1)


class Parser:
    """Parses in this process, or for large batches in worker processes that live as long as the Parser:
    starting a pool costs a spawn and a model load per worker (seconds), so a stage keeps one for all
    its chunks."""

    def __init__(self, processes: int | None = None) -> None:
        self.processes = worker_count() if processes is None else processes
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> Parser:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None

    def parse(self, items: Sequence[tuple[str, str]]) -> Iterator[Parsed]:
        """Parse (key, text) pairs, yielding in input order."""
        if self.processes <= 1 or len(items) < MIN_TEXTS_FOR_WORKERS:
            yield from _parse_chunk(items)
            return
        if self._pool is None:
            context = multiprocessing.get_context("spawn")  # never fork a process holding DuckDB and Dagster threads
            self._pool = ProcessPoolExecutor(max_workers=self.processes, mp_context=context, initializer=load_pipeline)
        chunk = max(BATCH_SIZE, len(items) // (self.processes * 4))
        chunks = [items[i : i + chunk] for i in range(0, len(items), chunk)]
        for parsed in self._pool.map(_parse_chunk, chunks):
            yield from parsed


def parse_texts(items: Sequence[tuple[str, str]], processes: int | None = None) -> list[Parsed]:
    """Parse (key, text) pairs once, in input order (a Parser for a single batch)."""
    with Parser(processes) as parser:
        return list(parser.parse(items))


def reading_vocab() -> Vocab:
    """A fresh English vocabulary for deserialize_doc without loading the model (instant, unlike
    spacy.load): stages that only read stored parses take a new one per chunk, so the strings of
    100,000 articles never pile up in one process."""
    return create_vocab("en", English.Defaults)
