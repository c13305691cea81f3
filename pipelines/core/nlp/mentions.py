"""Which spans of a stored parse are entity mentions.

Starting from spaCy's entities (the model already ran once, in nlp_parses), four corrections:

1. Trim what is not the name: "the", "a" in front ("the Kremlin"), a possessive behind ("Russia's"),
   titles in front of a person ("President Putin"). Mentions keep their offsets into articles.text.
2. Split what is two things: "Russian-Syrian" (posts) names Russia and Syria; "Kurdish YPG" is a
   group and an organisation.
3. Add long forms of acronyms the article defines ("People's Protection Units (YPG)"), which the
   model often does not tag (acronyms.py).
4. Add repeats the model missed: once a name is found in an article, its other occurrences are
   mentions too ("one sense per discourse"), with spacing and hyphens free ("Deir ez-Zor" also finds
   "Deir ezzor" and "Deir-ez-Zor", which the small model misses in translated text). A repeat must start
   with a capital (an abbreviation must be in capitals) and align with token boundaries, so "turkey"
   and "us" are never mentions.

Where spans overlap the longer one wins ("Deir ezzor" over "Deir"), then the model's own.
Dates, numbers, money and the like are not entities and are dropped.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass

from spacy.tokens import Doc

from pipelines.core.ids import fold
from pipelines.core.nlp.acronyms import AcronymDefinition, find_definitions
from pipelines.core.nlp.countries import lookup_country
from pipelines.core.nlp.names import determiners, groups, is_acronym, titles

KEPT_LABELS = frozenset(
    {"PERSON", "NORP", "FAC", "ORG", "GPE", "LOC", "PRODUCT", "EVENT", "WORK_OF_ART", "LAW", "LANGUAGE"}
)
NER, ACRONYM, REPEAT = "ner", "acronym", "repeat"
_SOURCE_RANK = {NER: 0, ACRONYM: 1, REPEAT: 2}
_SPLIT_LABELS = frozenset({"NORP", "GPE", "LANGUAGE"})
_POSSESSIVES = frozenset({"'s", "’s", "'", "’"})
_CHUNK = re.compile(r"[^\W_]+")
_NAME_POS = frozenset({"PROPN", "NOUN", "ADJ", "NUM", "PUNCT", "X"})  # what a repeated name can be made of


@dataclass(frozen=True)
class SpanMention:
    start: int  # tokens
    end: int
    label: str
    source: str  # ner (the model's), acronym (a defined long form), repeat (another occurrence of a found name)


@dataclass(frozen=True)
class FoundMentions:
    spans: list[SpanMention]
    acronyms: list[AcronymDefinition]


def _trim(doc: Doc, start: int, end: int, label: str) -> tuple[int, int]:
    def droppable_front(i: int) -> bool:
        token = doc[i]
        lowered = fold(token.text)
        if token.is_punct or token.is_space or lowered in determiners():
            return True
        return label == "PERSON" and lowered.rstrip(".") in titles() and i + 1 < end

    while start < end and droppable_front(start):
        start += 1
    while end > start and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].text in _POSSESSIVES):
        end -= 1
    return start, end


def _is_name(text: str) -> bool:
    """Proper names have a capital letter; lower-case spans ("jihadist") are the model's noise."""
    return len(text) >= 2 and any(ch.isupper() for ch in text)


def _pieces(doc: Doc, start: int, end: int, label: str) -> Iterator[tuple[int, int, str]]:
    """The span itself, or its parts where it names several things (see module docstring, 2)."""
    tokens = list(doc[start:end])
    words, hyphens = tokens[::2], tokens[1::2]  # "Russian - Syrian": words at even positions
    if (
        label in _SPLIT_LABELS
        and len(tokens) >= 3
        and len(tokens) % 2 == 1
        and all(t.text == "-" for t in hyphens)
        and all(t.is_alpha and t.is_title for t in words)
        and any(lookup_country(t.text) for t in words)
    ):
        for word in words:
            yield word.i, word.i + 1, label
        return
    if (
        label == "ORG"
        and len(tokens) == 2
        and is_acronym(tokens[1].text)
        and (tokens[0].pos_ == "ADJ" or fold(tokens[0].text) in groups() or lookup_country(tokens[0].text))
    ):
        yield start, start + 1, "NORP"
        yield start + 1, end, "ORG"
        return
    yield start, end, label


def _model_mentions(doc: Doc) -> Iterator[SpanMention]:
    for ent in doc.ents:
        if ent.label_ not in KEPT_LABELS:
            continue
        start, end = _trim(doc, ent.start, ent.end, ent.label_)
        for s, e, label in _pieces(doc, start, end, ent.label_):
            if e > s and _is_name(doc[s:e].text):
                yield SpanMention(s, e, label, NER)


def _acronym_mentions(
    doc: Doc, definitions: list[AcronymDefinition], found: list[SpanMention]
) -> Iterator[SpanMention]:
    """The long form (and the abbreviation, if the model missed it) of each definition, labelled as
    the model labelled the abbreviation anywhere in the article (ORG if nowhere)."""
    for definition in definitions:
        short = doc[definition.short_start : definition.short_end].text
        labels = Counter(m.label for m in found if doc[m.start : m.end].text == short)
        label = labels.most_common(1)[0][0] if labels else "ORG"
        yield SpanMention(definition.long_start, definition.long_end, label, ACRONYM)
        yield SpanMention(definition.short_start, definition.short_end, label, ACRONYM)


def _folded_same_length(text: str) -> str:
    """fold() one character at a time, so offsets in the folded text are offsets in `text`."""
    if text.isascii():
        return text.lower()
    return "".join(ch.lower() if ch.isascii() else (fold(ch)[:1] or ch) for ch in text)


def _repeat_mentions(doc: Doc, found: list[SpanMention]) -> Iterator[SpanMention]:
    """Other occurrences of the names in `found`, except where the model saw something that is not an
    entity (the month in "in May" when "May" is Theresa May) or where the words are not a name
    ("Will" the verb)."""
    text = doc.text  # spaCy rebuilds it from the tokens on every access
    not_names = {t for ent in doc.ents if ent.label_ not in KEPT_LABELS for t in range(ent.start, ent.end)}
    labels: dict[str, Counter[str]] = {}
    for mention in found:
        labels.setdefault(doc[mention.start : mention.end].text, Counter())[mention.label] += 1
    names = sorted((s for s in labels if _CHUNK.search(s)), key=lambda s: (-len(s), s))  # longest first
    if not names:
        return
    alternatives = (r"[\W_]{0,3}".join(map(re.escape, _CHUNK.findall(_folded_same_length(n)))) for n in names)
    pattern = re.compile(
        r"(?<![^\W_])(?:" + "|".join(f"(?P<n{i}>{alt})" for i, alt in enumerate(alternatives)) + r")(?![^\W_])"
    )
    for match in pattern.finditer(_folded_same_length(text)):
        name = names[int(match.lastgroup[1:])]
        written = text[match.start() : match.end()]
        if not written[0].isupper() or (is_acronym(name) and not is_acronym(written)):
            continue
        span = doc.char_span(match.start(), match.end())
        if span is not None and all(t.pos_ in _NAME_POS and t.i not in not_names for t in span):
            label = max(labels[name].items(), key=lambda item: (item[1], item[0]))[0]
            yield SpanMention(span.start, span.end, label, REPEAT)


def _without_overlaps(spans: list[SpanMention]) -> list[SpanMention]:
    taken: set[int] = set()
    kept = []
    for span in sorted(spans, key=lambda s: (s.start - s.end, _SOURCE_RANK[s.source], s.start, s.label)):
        tokens = set(range(span.start, span.end))
        if not tokens & taken:
            taken |= tokens
            kept.append(span)
    return sorted(kept, key=lambda s: s.start)


def find_mentions(doc: Doc) -> FoundMentions:
    """Every entity mention in a parsed article (see module docstring), in text order."""
    definitions = find_definitions(doc)
    found = list(_model_mentions(doc))
    found = _without_overlaps(found + list(_acronym_mentions(doc, definitions, found)))
    return FoundMentions(_without_overlaps(found + list(_repeat_mentions(doc, found))), definitions)
