"""What the parse of a document gives the later stages, made while the Doc is still in memory.

Parsing happens in worker processes; right after parsing, the same worker extracts the document's entity
mentions and its story terms, which otherwise the entity and story stages would each do by deserializing
the stored parse again, one at a time in the main process. The results travel back with the parse and
wait here, in the main process, for the stage that uses them in the same run.

This is an acceleration only: a stage that finds nothing here (a later run, another process, a new rules
version) reads the stored parse as before. Entries are keyed by article, text hash and NLP version, and
taken out when used; the cache is bounded so a huge backfill cannot fill memory with them.
"""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from spacy.tokens import Doc

MAX_ENTRIES = 20_000


@dataclass(frozen=True)
class Products:
    mentions: list[Any]  # pipelines.core.nlp.article_linking.link_article(doc)
    story_terms: dict[str, float]  # pipelines.core.stories.features.term_weights(headline, doc)


def make(doc: Doc, headline: str | None) -> Products:
    """Everything later stages need from a freshly parsed document (runs in the parsing worker)."""
    from pipelines.core.nlp.article_linking import link_article
    from pipelines.core.stories.features import term_weights

    return Products(link_article(doc), term_weights(headline, doc))


_waiting: OrderedDict[tuple[str, str, str], Products] = OrderedDict()


def keep(article_id: str, text_hash: str, nlp_version: str, products: Products) -> None:
    _waiting[(article_id, text_hash, nlp_version)] = products
    while len(_waiting) > MAX_ENTRIES:
        _waiting.popitem(last=False)


def mentions(article_id: str, text_hash: str, nlp_version: str) -> list[Any] | None:
    """The article's mentions as the parsing worker found them (None: read the stored parse)."""
    found = _waiting.get((article_id, text_hash, nlp_version))
    return None if found is None else found.mentions


def story_terms(article_id: str, text_hash: str, nlp_version: str) -> dict[str, float] | None:
    """The article's story terms, taken out of the cache (the story stage is their last user)."""
    found = _waiting.pop((article_id, text_hash, nlp_version), None)
    return None if found is None else found.story_terms
