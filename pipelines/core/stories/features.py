"""What the story clusterer compares: weighted terms of the title and lead, and the entities mentioned.

Terms are lemmas of the stored parse (so "sends", "sent" and "sending" are one term), content words and
figures ("8900", "4.4") only, from the title (weighted up: the headline names the happening) and the
first LEAD_WORDS such words of the body (about the first three paragraphs): news is written top-down, and
later paragraphs drift into background that same-topic but different happenings share ("Turkey supports
the rebels…"). A title the cleaner took from the first sentence (no headline line) is not counted twice.
Term frequency is sublinear (1 + log tf). Entities are keys (entity ids in the warehouse; normalised names
where no linker ran) that the clusterer compares by overlap.

Events are keys too: two reports of one happening code its events alike (who did what to whom, where, on
which day), where two happenings of one topic share the words. A key anchors an event's type to something
specific: its place, its day, its place and day together, or its actor and recipient as a pair
("ASSAULT|place:<id>|day:2019-10-14", "ACCUSE|actor:<id>|recipient:<id>"); the clusterer weighs keys by
IDF, so a rare anchoring counts for much and a common one for little. A bare type ("someone attacked")
or a type with one participant ("Russia attacked") is said of every happening of a topic and is no key.
Negated and hypothetical events did not happen and give no keys. Participants and places are entity ids,
so only linked names count ("the two sides" is evidence of nothing).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from spacy.lang.en.stop_words import STOP_WORDS
from spacy.tokens import Doc, Token

from pipelines.core.ids import fold

LEAD_WORDS = 150
TITLE_WEIGHT = 1.5
CONTENT_POS = frozenset({"NOUN", "PROPN", "VERB", "ADJ", "NUM"})
ENTITY_LABELS = frozenset({"PERSON", "ORG", "GPE", "LOC", "NORP", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"})
_WORD = re.compile(r"[^\W\d_]{2,}")
_NOT_FIGURES = frozenset({"DATE", "TIME"})


@dataclass(frozen=True)
class ArticleFeatures:
    article_id: str
    title: str
    terms: dict[str, float]
    entities: frozenset[str]
    published_at: datetime | None
    seen_at: datetime
    extra: dict[str, object] = field(default_factory=dict, compare=False)
    events: frozenset[str] = frozenset()


@dataclass(frozen=True)
class EventFacts:
    """What the story layer reads from one coded event that happened: its type, the entity ids of its
    first actor, first recipient and place, and its day, each None when the event does not name it."""

    event_type: str
    actor: str | None = None
    recipient: str | None = None
    place: str | None = None
    day: date | None = None


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


def _figure(token: Token) -> str | None:
    """A figure the text states ("8900", "4.4", "95"), as a term of its own: the toll, the magnitude, the
    age, the model number are among the most specific facts of a happening, and two of one topic rarely
    share them. Dates and times are not figures here: the time features compare those."""
    if len(token.text) < 2 or token.ent_type_ in _NOT_FIGURES or not any(c.isdigit() for c in token.text):
        return None
    return "#" + fold(token.text)


def lead_terms(doc: Doc, words: int = LEAD_WORDS) -> list[str]:
    """Content lemmas and figures of the first `words` such words of the parsed body."""
    out: list[str] = []
    for token in doc:
        term = _term(token.lemma_) if token.pos_ in CONTENT_POS else None
        if term := term or _figure(token):
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


def event_keys(events: Iterable[EventFacts]) -> frozenset[str]:
    """The keys of an article's events (see the module docstring)."""
    keys: set[str] = set()
    for event in events:
        day = event.day.isoformat() if event.day else None
        anchors = [f"place:{event.place}" if event.place else None, f"day:{day}" if day else None]
        if event.actor and event.recipient:
            anchors.append(f"actor:{event.actor}|recipient:{event.recipient}")
        if event.place and day:
            anchors.append(f"place:{event.place}|day:{day}")
        keys.update(f"{event.event_type}|{anchor}" for anchor in anchors if anchor)
    return frozenset(keys)
