"""Entities and mentions: the names, keys and helpers other stages (the event coder) code against.

Entity types (`entities.type`):
    PERSON, ORG, COUNTRY (a sovereign state, keyed by ISO 3166-1 alpha-2; demonyms such as "Russian"
    resolve to it), PLACE (cities and other places; geocoded when the gazetteer can tell), NORP (groups
    that are not one country: "Kurdish", "Islamic"), FAC, EVENT, LAW, PRODUCT, WORK_OF_ART, LANGUAGE.
    spaCy's DATE, TIME, PERCENT, MONEY, QUANTITY, ORDINAL and CARDINAL are not entities.

Canonical keys (`entity_key`): what makes an entity the same across articles —
    "COUNTRY:TR", "PLACE:gn:170654" (a geonames id), "PLACE:ain issa" (a place the gazetteer cannot
    settle), "PERSON:recep tayyip erdogan", "ORG:peoples protection units" (names as names.name_key).
An entity's id is a hash of its canonical key (`entity_id_for_key`), so it is the same on every run and
rebuild. Where cross-article rules or overrides join several keys into one entity, the id is that of
the cluster's canonical key (the fullest name): learning a fuller name ("Recep Tayyip Erdoğan" after
only "Tayyip Erdogan") re-points mentions to the fuller entity. Read entity ids through the
`entity_mentions` view at query time rather than copying them.

For the event coder:
- `mentions_from_rows(rows)`: the rows of statement `mentions_for_articles` (one article's mentions
  with their entity ids) as Mention objects;
- `entity_for_span(mentions, start_char, end_char)`: which entity a token span of the stored Doc
  refers to ("Turkish forces" → Turkey via the mention "Turkish"; "Russian Foreign Minister Sergei
  Lavrov" → Lavrov, the mention covering most of the span);
- `country_entity_id("TR")`: the entity id of a country, for demonyms found outside mentions
  (with pipelines.core.nlp.countries.country_in_text: "Turkish forces" → Turkey).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pipelines.core.ids import stable_id

PERSON, ORG, COUNTRY, PLACE, NORP = "PERSON", "ORG", "COUNTRY", "PLACE", "NORP"
ENTITY_TYPES = (PERSON, ORG, COUNTRY, PLACE, NORP, "FAC", "EVENT", "LAW", "PRODUCT", "WORK_OF_ART", "LANGUAGE")
# Keys made of a written name; COUNTRY keys are ISO codes and resolved PLACE keys geonames ids.
NAME_KEYED_TYPES = frozenset(ENTITY_TYPES) - {COUNTRY, PLACE}


@dataclass(frozen=True)
class Mention:
    """One mention of an entity in an article. Offsets are into articles.text (= the stored Doc's text)."""

    start_char: int
    end_char: int
    surface: str  # the text as written, trimmed of "the" and possessives
    label: str  # spaCy's label as found (NORP for "Russian"), or the label of the name it repeats
    sentence_idx: int  # 0-based index into the stored Doc's doc.sents
    entity_type: str
    entity_key: str  # canonical key resolved in the article ("PERSON:recep tayyip erdogan" for "Erdoğan")
    surface_key: str  # key of the surface on its own ("PERSON:erdogan"), for cross-article rules and splits
    country_code: str | None  # the country this mention ties the entity to, if it says
    source: str  # ner, acronym or repeat (pipelines.core.nlp.mentions)
    entity_id: str | None = None  # set when read back from the warehouse


def entity_key(entity_type: str, name: str) -> str:
    return f"{entity_type}:{name}"


def key_type(key: str) -> str:
    return key.split(":", 1)[0]


def entity_id_for_key(key: str) -> str:
    return stable_id("entity", key)


def country_key(code: str) -> str:
    return entity_key(COUNTRY, code.upper())


def place_key(geonames_id: int) -> str:
    return entity_key(PLACE, f"gn:{geonames_id}")


def country_entity_id(code: str) -> str:
    """The entity id of the country with ISO alpha-2 code `code` (unless an override merged it away)."""
    return entity_id_for_key(country_key(code))


def mentions_from_rows(rows: Iterable[Mapping[str, Any]]) -> list[Mention]:
    """Mention objects from warehouse rows (statement mentions_for_articles), in text order."""
    fields = Mention.__dataclass_fields__
    return sorted((Mention(**{k: v for k, v in row.items() if k in fields}) for row in rows), key=_position)


def _position(mention: Mention) -> tuple[int, int]:
    return mention.start_char, mention.end_char


def entity_for_span(mentions: Sequence[Mention], start_char: int, end_char: int) -> str | None:
    """The entity id of the mention that overlaps the span [start_char, end_char) most; on a tie the
    later one (English puts the head of a noun phrase last). None when no mention overlaps."""
    best: tuple[int, int] | None = None
    chosen = None
    for mention in mentions:
        overlap = min(end_char, mention.end_char) - max(start_char, mention.start_char)
        if overlap > 0 and (best is None or (overlap, mention.start_char) > best):
            best, chosen = (overlap, mention.start_char), mention.entity_id
    return chosen
