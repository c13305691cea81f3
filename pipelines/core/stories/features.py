"""What the story clusterer compares: weighted terms of the title and lead, and the entities mentioned.

Terms are lemmas of the stored parse (so "sends", "sent" and "sending" are one term), content words only,
from the title (weighted up: the headline names the happening) and the first LEAD_WORDS content words of
the body (about the first three paragraphs): news is written top-down, and later paragraphs drift into
background that same-topic but different happenings share ("Turkey supports the rebels…"). A title the
cleaner took from the first sentence (no headline line) is not counted twice. Term frequency is sublinear
(1 + log tf). Entities are keys (entity ids in the warehouse; normalised names where no linker ran) that
the clusterer compares by overlap.

The constants here and in clustering.py were chosen on the ECB+ dev set (`make eval`) where its B-cubed
F1 is flat (lead 150 words, title weight 1.5, threshold 0.38-0.42, entity weight 0.4 all score 0.87-0.88),
not at a single best point.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc

from pipelines.core.ids import fold

LEAD_WORDS = 150
TITLE_WEIGHT = 1.5
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
_WORD = re.compile(r"[^\W\d_]{2,}")


@dataclass(frozen=True)
class ArticleFeatures:
    article_id: str
    title: str
    terms: dict[str, float]
    entities: frozenset[str]
    published_at: datetime | None
    seen_at: datetime
    extra: dict[str, object] = field(default_factory=dict, compare=False)


def _term(word: str) -> str | None:
    folded = fold(word)
    return folded if _WORD.fullmatch(folded) and folded not in STOP_WORDS else None


def _title_term(word: str) -> str:
    """Titles are not parsed: fold, then undo the plural so "strikes" meets the lemma "strike"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


def title_terms(title: str) -> list[str]:
    return [_title_term(t) for w in _WORD.findall(fold(title)) if (t := _term(w))]


def lead_terms(doc: Doc, words: int = LEAD_WORDS) -> list[str]:
    """Content lemmas of the first `words` content words of the parsed body."""
    out: list[str] = []
    for token in doc:
        if token.pos_ in CONTENT_POS and (term := _term(token.lemma_)):
            out.append(term)
            if len(out) >= words:
                break
    return out


def term_weights(title: str | None, doc: Doc) -> dict[str, float]:
    """Weighted terms of the lead plus the headline (`title` None when it is only the first sentence)."""
    weights = {term: 1.0 + math.log(count) for term, count in Counter(lead_terms(doc)).items()}
    for term in set(title_terms(title or "")):
        weights[term] = weights.get(term, 0.0) + TITLE_WEIGHT
    return weights


def named_entities(doc: Doc) -> frozenset[str]:
    """Entity keys from the parse's own NER, for when no linked entity ids are available."""
    return frozenset(fold(ent.text) for ent in doc.ents if ent.label_ in ENTITY_LABELS)
