"""Parse articles once and store the result, so entities and events never run the model again.

A parse is stored as a one-document spaCy DocBin (~7 KB per 500-token article; rebuilding the Doc takes
under 1 ms) holding tokens, lemmas, POS/tags, the dependency tree, sentence starts and entities —
everything the entity linker and the event coder read.

Large batches are parsed in the shared worker pool (pipelines/core/workers.py), each worker with its own
model, returning bytes: DESIGN §9 measured that faster than `nlp.pipe(n_process=2)`, which pickles whole
Docs back. While a Doc is in memory the worker also makes what later stages need from it (products.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

from spacy.lang.en import English
from spacy.language import Language
from spacy.tokens import Doc, DocBin
from spacy.vocab import Vocab, create_vocab

from pipelines.core.nlp import products
from pipelines.core.nlp.model import load_pipeline
from pipelines.core.nlp.products import Products
from pipelines.core.workers import map_chunks

DOC_ATTRS = ["ORTH", "SPACY", "LEMMA", "POS", "TAG", "MORPH", "DEP", "HEAD", "SENT_START", "ENT_IOB", "ENT_TYPE"]
# A batch the model runs at once: at most this many texts and, past its first text, this many characters.
# The model's working memory grows with the tokens of a batch, ~15 KB each: 32 texts of the median BBC
# length took +200 MB in a worker, the 32 longest (275k characters) +840 MB, so a corpus of long reads
# would have put two workers past 2 GiB. Bounding the characters keeps a batch near +250 MB whatever the
# articles' length, at the same speed on the BBC texts (30.1 s of CPU per 512 either way, measured).
BATCH_SIZE = 32
BATCH_CHARS = 64_000


@dataclass(frozen=True)
class Parsed:
    key: str
    docbin: bytes
    sentences: int
    tokens: int
    products: Products


def serialize_doc(doc: Doc) -> bytes:
    docbin = DocBin(attrs=DOC_ATTRS, store_user_data=False)
    docbin.add(doc)
    return docbin.to_bytes()


def deserialize_doc(vocab: Vocab, data: bytes) -> Doc:
    """The stored Doc, with parse and entities, using `vocab` (e.g. reading_vocab())."""
    return next(DocBin().from_bytes(data).get_docs(vocab))


def _batches(texts: Iterable[str]) -> Iterator[list[str]]:
    batch: list[str] = []
    chars = 0
    for text in texts:
        if batch and (len(batch) == BATCH_SIZE or chars + len(text) > BATCH_CHARS):
            yield batch
            batch, chars = [], 0
        batch.append(text)
        chars += len(text)
    if batch:
        yield batch


def pipe(nlp: Language, texts: Iterable[str]) -> Iterator[Doc]:
    """nlp.pipe in batches of at most BATCH_SIZE texts and BATCH_CHARS characters, in input order."""
    for batch in _batches(texts):
        yield from nlp.pipe(batch, batch_size=len(batch))


def _parse_chunk(items: Sequence[tuple[str, ...]]) -> list[Parsed]:
    docs = pipe(load_pipeline(), (item[1] for item in items))
    out = []
    for item, doc in zip(items, docs, strict=True):
        headline = item[2] if len(item) > 2 else None
        out.append(
            Parsed(item[0], serialize_doc(doc), sum(1 for _ in doc.sents), len(doc), products.make(doc, headline))
        )
    return out


_WARM_UP_TEXT = "Officials in Paris said on Monday that the United Nations (UN) would meet Angela Merkel."


def warm_up() -> None:
    """Parse one short text, so that whatever a parse loads on first use (the model, the gazetteer and
    word lists the products read) is loaded before the first real chunk; see workers.prepare."""
    _parse_chunk([("warm-up", _WARM_UP_TEXT)])


def parse_texts(
    items: Iterable[tuple[str, ...]], processes: int | None = None, total: int | None = None
) -> Iterator[Parsed]:
    """Parse (key, text[, headline]) items, yielding in input order; large batches go to the worker pool
    (`items` may be a generator of `total` items, read as the workers need them). The headline (None
    when the article has none of its own) is used for the story terms."""
    yield from map_chunks(_parse_chunk, items, processes, total=total)


# Strings a process's reading vocabulary may hold before it is replaced: the 2,058 parsed BBC articles
# bring 50,000 (22 MB), so the limit is a few thousand articles and ~45 MB per process.
MAX_READING_STRINGS = 100_000
_reading: Vocab | None = None


def reading_vocab() -> Vocab:
    """The process's English vocabulary for deserialize_doc, made without loading the model (instant,
    unlike spacy.load). It is shared by every read of the process, because rebuilding the lexemes of an
    article's words is half the cost of reading its parse (2.3 → 1.2 ms per article when 600 articles
    share one vocabulary); it is replaced once it holds MAX_READING_STRINGS, so the strings of a
    100,000-article backfill never pile up in one process."""
    global _reading
    if _reading is None or len(_reading.strings) > MAX_READING_STRINGS:
        _reading = create_vocab("en", English.Defaults)
    return _reading
