"""Acronyms an article defines: "People's Protection Units (YPG)", "the YPG (People's Protection Units)".

A definition is a proper name of two or more capitalised words written right next to an abbreviation in
parentheses. The letters need not match: "YPG" abbreviates the Kurdish "Yekîneyên Parastina Gel", "PKK"
the Kurdish "Partiya Karkerên Kurdistanê", so a Schwartz-Hearst letter check would miss exactly the
acronyms news writes most. What keeps the rule safe instead:
- the long form is a run of proper nouns (connectors such as "of", "'s", "and" only between them), so
  "told Reuters (AFP)" or "clashes (YPG)" define nothing;
- it must not be a person ("Boris Johnson (MP)" does not make every "MP" Boris Johnson);
- adjectives in front stay out ("Syrian-Kurdish People's Protection Units (YPG)" defines
  "People's Protection Units").
"""

from __future__ import annotations

from dataclasses import dataclass

from spacy.tokens import Doc, Token

from pipelines.core.nlp.names import is_acronym

_CONNECTORS = frozenset({"of", "for", "and", "the", "'s", "’s", "'", "’", "&", "de", "del", "al"})
_PROPER_TAGS = frozenset({"NNP", "NNPS"})
MIN_NAME_WORDS = 2


@dataclass(frozen=True)
class AcronymDefinition:
    long_start: int  # token span of the long form
    long_end: int
    short_start: int  # token span of the abbreviation
    short_end: int


def _name_word(token: Token) -> bool:
    return token.tag_ in _PROPER_TAGS and token.text[:1].isupper() and token.ent_type_ not in ("PERSON", "NORP")


def _name_run(doc: Doc, start: int, end: int) -> bool:
    """Whether tokens start..end are a proper name: name words, connectors only inside."""
    tokens = doc[start:end]
    if not tokens or not _name_word(tokens[0]) or not _name_word(tokens[-1]):
        return False
    words = [t for t in tokens if _name_word(t)]
    return len(words) >= MIN_NAME_WORDS and all(_name_word(t) or t.lower_ in _CONNECTORS for t in tokens)


def _run_before(doc: Doc, end: int) -> int | None:
    """Start of the longest proper name ending just before token `end`, if any."""
    start = end
    while start > 0 and (_name_word(doc[start - 1]) or doc[start - 1].lower_ in _CONNECTORS):
        start -= 1
    while start < end and not _name_word(doc[start]):  # a name starts with a name word ("the" stays out)
        start += 1
    return start if _name_run(doc, start, end) else None


def find_definitions(doc: Doc) -> list[AcronymDefinition]:
    found = []
    for token in doc:
        if token.text != "(":
            continue
        close = next((t.i for t in doc[token.i + 1 : token.i + 12] if t.text == ")"), None)
        if close is None:
            continue
        inside = doc[token.i + 1 : close]
        if len(inside) == 1 and is_acronym(inside.text):  # Long Form (ACR)
            start = _run_before(doc, token.i)
            if start is not None:
                found.append(AcronymDefinition(start, token.i, token.i + 1, close))
        elif token.i > 0 and is_acronym(doc[token.i - 1].text) and _name_run(doc, token.i + 1, close):  # ACR (Long)
            found.append(AcronymDefinition(token.i + 1, close, token.i - 1, token.i))
    return found
