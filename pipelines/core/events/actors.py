"""Actors, recipients and places: noun phrases read off the dependency tree and described for the warehouse.

A participant is the phrase around a head noun (its compounds, adjectives, possessor, apposition and "of"
phrase: "the defense Ministry of Russia"), with a PLOVER sector from actors.yaml ("defence ministry" →
MIL) and, through an EntityLookup, the linked entity and its country. Pronouns ("it has deployed") are
resolved to the subject of the clause that reports them, else to the latest actor of the right kind
mentioned before: simple rules that are right for the common newswire pattern "X said it would …".
A counted group ("the two countries", "both sides", "the two leaders") stands for that many entities named
before, of the kind its noun agrees with (countries are countries, not the city where they met; leaders
are the titled persons, not the spokesman quoted since), else it stays a phrase with no entity.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from spacy.tokens import Span, Token

from pipelines.core.events.lexicon import Lexicon
from pipelines.core.events.syntax import (
    OBJECTS,
    SUBJECTS,
    clause_head,
    lemma_of,
    lemma_pairs,
    phrasal_lemma,
    relative_antecedent,
    subjects_of,
)
from pipelines.core.ids import fold
from pipelines.core.nlp.countries import lookup_country
from pipelines.core.nlp.entities import Mention, entity_for_span

_MODIFIER_DEPS = frozenset({"compound", "amod", "nmod", "poss", "nummod", "quantmod", "det", "appos", "flat", "case"})
_ENTITY_LABELS_WITHOUT_SECTOR = frozenset({"GPE", "NORP"})
PLACE_LABELS = frozenset({"GPE", "LOC", "FAC"})
_RELATIVE_TAGS = frozenset({"WDT", "WP"})

# How an actor was found (events.actor_source): a name in its phrase, a generic noun with a sector,
# a pronoun or generic phrase resolved to what the article named before, or no actor at all.
NAMED, SECTOR, COREFERENCE, NONE = "named", "sector", "coreference", "none"
_NUMBERS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4, "both": 2}
_DEFINITE = frozenset({"the", "this", "that"})
# The first word of a correlative pair ("both X and Y", "either X or Y"), never part of X's name.
_CORRELATIVES = frozenset({"both", "either", "neither"})
# What makes a counted group refer back ("the two leaders", "both sides", "all three parties", "these two").
_GROUP_DETERMINERS = frozenset({"the", "these", "those", "both", "all"})
# A name governed by these is where something happened ("fought in Gaza") or part of another name ("the
# Archbishop of Canterbury"): not one of the entities a counted group stands for.
_NOT_COUNTED_AFTER = frozenset({"in", "at", "near", "outside", "inside", "around", "across", "of"})


@dataclass(frozen=True)
class EntityRef:
    """What the entity linker knows about a mention (see EntityLookup)."""

    entity_id: str
    name: str
    type: str
    country_code: str | None = None
    lat: float | None = None
    lon: float | None = None


# (start_char, end_char) -> the entity that span of the article refers to, or None.
EntityLookup = Callable[[int, int], EntityRef | None]


def no_entities(start: int, end: int) -> EntityRef | None:
    """The lookup to use when no entity linking is available: participants keep text and sector only."""
    return None


def linked_lookup(mentions: Sequence[Mention], entities: Mapping[str, EntityRef]) -> EntityLookup:
    """An EntityLookup over one article's linked mentions: the entity of the mention that overlaps a span
    most (the entity stage's rule: "Russian Foreign Minister Sergei Lavrov" is Lavrov, "the Russian air
    force" is Russia)."""

    def lookup(start: int, end: int) -> EntityRef | None:
        entity_id = entity_for_span(mentions, start, end)
        return entities.get(entity_id) if entity_id else None

    return lookup


@dataclass(frozen=True)
class Participant:
    """An actor, recipient or place: its phrase in the text and what is known of it."""

    text: str
    start_char: int
    end_char: int
    sector: str | None = None
    country_code: str | None = None
    entity: EntityRef | None = None  # the linked entity, when the linker ran
    resolved_from: str | None = None  # the pronoun or generic phrase this participant was resolved from
    source: str = NAMED  # how it was found: named, sector or coreference (see ACTOR_SOURCES)


def phrase_tokens(head: Token) -> list[Token]:
    """The head noun with its modifiers (not its relative clauses, other prepositional phrases or
    participles such as "Turkish-backed", nor the apposition that describes a name)."""
    tokens = {head}
    named = _is_name(head) or head.ent_type_ in _ACTOR_LABELS
    for child in head.children:
        if child.dep_ == "amod" and child.pos_ == "VERB":
            continue  # "Turkish-backed insurgents" are not Turkish: the backer is someone else
        if child.dep_ == "appos" and named:
            continue  # "Pakistan, a key U.S. ally in the war against terrorism": the name is the actor
        if child.lower_ in _CORRELATIVES and any(c.dep_ == "conj" for c in head.children):
            continue  # "Both Tessa Jowell and Mr Smith": "both" belongs to the pair, not to the first name
        if child.dep_ in _MODIFIER_DEPS or (child.dep_ == "prep" and child.lower_ == "of"):
            tokens.update(t for t in child.subtree if t.dep_ not in ("relcl", "acl") and not t.is_space)
    ordered = sorted(tokens, key=lambda t: t.i)
    while ordered and (ordered[-1].is_punct or ordered[-1].dep_ == "case") and ordered[-1] != head:
        ordered.pop()
    while ordered and ordered[0].is_punct and ordered[0] != head:
        ordered.pop(0)
    return ordered


def _sector(tokens: list[Token], head: Token, lexicon: Lexicon) -> str | None:
    """Sector by the most specific key: a two-word name ending in the head ("air force"), the head, then
    the other words of the phrase ("Russian Foreign Minister Sergei Lavrov": minister)."""
    usable = [t for t in tokens if t.ent_type_ not in _ENTITY_LABELS_WITHOUT_SECTOR]
    lemmas = [lemma_of(t) for t in usable]
    at = next((i for i, t in enumerate(usable) if t == head), None)
    keys = [f"{lemmas[at - 1]} {lemmas[at]}", lemmas[at]] if at else ([lemmas[0]] if at == 0 else [])
    keys += list(lemma_pairs(usable))
    return next((lexicon.sectors[k] for k in keys if k in lexicon.sectors), None)


def _named(tokens: list[Token], lexicon: Lexicon) -> tuple[str, str | None] | None:
    for key in lemma_pairs(tokens):
        folded = fold(key)
        if folded in lexicon.named:
            return lexicon.named[folded]
    return None


_ACTOR_LABELS = frozenset({"PERSON", "ORG", "GPE", "NORP"})
_NOT_ACTOR_LABELS = frozenset({"DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT", "QUANTITY", "LOC", "FAC"})


def _is_name(token: Token) -> bool:
    """A proper noun that is not a date, number or amount ("Ethopia" misspelt still names someone)."""
    return token.pos_ == "PROPN" and token.ent_type_ not in _NOT_ACTOR_LABELS


def is_pronoun(token: Token, lexicon: Lexicon) -> bool:
    """A pronoun that refers back to an actor ("it", "they"), not a name spelt like one ("the US")."""
    return token.pos_ == "PRON" and token.lower_ in lexicon.pronouns


def is_actor_like(head: Token, lexicon: Lexicon) -> bool:
    """Whether a noun can name an actor: a name, or a noun modified by a name or nationality ("Syrian
    individuals", "members of Hamas"), a noun with a sector or an institution name, or a pronoun.
    Keeps "information", "the region" or "the withdrawal of the forces" out of actor and recipient slots."""
    if is_pronoun(head, lexicon) or _is_name(head) or _group_size(head, lexicon):
        return True  # a name, a pronoun, or a group named before ("the two countries", "both sides")
    near = [head, *(c for c in head.children if c.dep_ in ("compound", "amod", "poss", "flat", "appos", "nmod"))]
    if lemma_of(head) in lexicon.collective_nouns:  # "members of Hamas", "a group of students"
        near += [o for p in head.children if p.dep_ == "prep" and p.lower_ == "of" for o in p.children]
    if any(t.ent_type_ in _ACTOR_LABELS or _is_name(t) for t in near):
        return True
    near.sort(key=lambda t: t.i)
    return _sector(near, head, lexicon) is not None or _named(near, lexicon) is not None


def is_political_actor(head: Token, lexicon: Lexicon) -> bool:
    """A country or a phrase of a sense_actors sector (a government, an army, the police, rebels): what
    PETRARCH's actor dictionaries hold, and so evidence for a verb's political sense ("Israel hit Gaza")."""
    head = relative_antecedent(head)
    if is_pronoun(head, lexicon):
        # "Israel said it hit Gaza": the speaker; elsewhere who "they" are is not known while the sense
        # is chosen
        speaker = reported_speaker(head, lexicon)
        return speaker is not None and is_political_actor(speaker, lexicon)
    if _country_code(head, _label_and_key(head)[0]) is not None:
        return True
    # the head noun and the words that qualify it: "Israeli troops", "rebel positions", not a possessor
    # ("the opposition parties' election foxes")
    own = sorted([head, *(c for c in head.children if c.dep_ in ("compound", "amod"))], key=lambda t: t.i)
    return _sector(own, head, lexicon) in lexicon.sense_actors


def _has_name(tokens: list[Token]) -> bool:
    return any(_is_name(t) or t.ent_type_ in _ACTOR_LABELS for t in tokens)


def describe(head: Token, lexicon: Lexicon, lookup: EntityLookup) -> Participant:
    """The participant whose head noun is `head`."""
    tokens = phrase_tokens(head)
    start, end = tokens[0].idx, tokens[-1].idx + len(tokens[-1].text)
    text = head.doc.text[start:end]
    own = lookup(start, end)
    country = own.country_code if own else None
    sector = _sector(tokens, head, lexicon)
    named = _named(tokens, lexicon)
    if named:
        sector = sector or named[0]
        country = country or named[1]
    return Participant(
        text=text,
        start_char=start,
        end_char=end,
        sector=sector,
        country_code=country,
        entity=own,
        source=NAMED if own or named or _has_name(tokens) else SECTOR,
    )


def describe_place(token: Token, span: Span, lookup: EntityLookup) -> Participant:
    """A location: the named-entity span containing `token`, with its linked entity's coordinates."""
    own = lookup(span.start_char, span.end_char)
    return Participant(
        text=span.text,
        start_char=span.start_char,
        end_char=span.end_char,
        country_code=own.country_code if own else None,
        entity=own,
    )


class Salience:
    """What the article has named so far, newest last: recent subjects (what a pronoun with no local
    antecedent refers to) and named phrases (what "the two leaders" or "the ministry" refers to)."""

    def __init__(self, lexicon: Lexicon) -> None:
        self._lexicon = lexicon
        self._subjects: list[Token] = []
        self._named: list[Token] = []  # heads of noun phrases that contain a name

    def note_sentence(self, sentence: Span) -> None:
        self._subjects.extend(t for t in sentence if t.dep_ in SUBJECTS and t.pos_ in ("PROPN", "NOUN"))
        self._named.extend(t for t in sentence if _named_head(t))

    def generic(self, head: Token) -> list[Token] | None:
        """The earlier named phrases a generic phrase stands for; None when `head` is not generic (a name,
        a pronoun, an indefinite phrase) or nothing earlier fits."""
        if head.pos_ != "NOUN" or _has_name(phrase_tokens(head)):
            return None
        lemma = lemma_of(head)
        words = _determiners(head)
        wanted = _group_size(head, self._lexicon, words)
        here = (t for t in head.sent if t.i < head.i and _named_head(t))
        earlier = [*self._named, *here][::-1]
        if wanted:  # "the two leaders", "both sides"
            tiers = self._lexicon.generic_plurals[lemma]
            return next((found for tier in tiers if (found := self._nearest(earlier, tier, wanted))), None)
        if words & _DEFINITE and head.tag_ == "NN" and lemma in self._lexicon.sectors:  # "the ministry"
            same = next((t for t in earlier if lemma in {lemma_of(w) for w in phrase_tokens(t)}), None)
            return [same] if same is not None else None
        return None

    def _nearest(self, earlier: list[Token], kinds: frozenset[str], wanted: int) -> list[Token] | None:
        """The `wanted` nearest distinct entities of `kinds` in `earlier` (newest first), in text order, or
        None when fewer are named: "the two countries" are the last two countries, "Russia" and "the
        Russian Federation" one of them."""
        found: dict[str, Token] = {}
        for token in earlier:
            if token.dep_ == "pobj" and token.head.lower_ in _NOT_COUNTED_AFTER:
                continue  # "fought in Gaza", "the Archbishop of Canterbury": a place, or part of another name
            kinds_here, key = _kinds(token, self._lexicon)
            if kinds_here & kinds and key not in found:
                found[key] = token
            if len(found) == wanted:
                return sorted(found.values(), key=lambda t: t.i)  # in the order they were named
        return None

    def latest(self, pronoun: Token) -> Token | None:
        """The nearest earlier actor-like noun of the pronoun's kind: subjects of its own sentence, then
        other nouns of it (never its own clause's subject for an object pronoun), then earlier subjects."""
        own_subjects = set(subjects_of(clause_head(pronoun))) if pronoun.dep_ not in SUBJECTS else set()
        before = [t for t in pronoun.sent if t.i < pronoun.i and t.pos_ in ("PROPN", "NOUN") and t not in own_subjects]
        subjects = [t for t in before if t.dep_ in SUBJECTS]
        others = [t for t in before if t.dep_ in (*OBJECTS, "pobj")]
        candidates = [*reversed(subjects), *reversed(others), *reversed(self._subjects)]
        for strict in (True, False):
            for token in candidates:
                if _same_kind(token, pronoun.lower_, strict) and is_actor_like(token, self._lexicon):
                    return token
        return None


def _determiners(head: Token) -> set[str]:
    return {c.lower_ for c in head.children if c.dep_ in ("det", "nummod", "predet", "preconj")}


def _group_size(head: Token, lexicon: Lexicon, words: set[str] | None = None) -> int | None:
    """How many entities a counted generic plural stands for ("the two countries": 2, "both sides": 2);
    None for any other phrase. `words` are the head's determiners when the caller has them already."""
    if head.tag_ != "NNS" or lemma_of(head) not in lexicon.generic_plurals:
        return None
    words = _determiners(head) if words is None else words
    if not words & _GROUP_DETERMINERS:
        return None  # "two presidents resigned": some presidents, not ones named before
    return next((_NUMBERS[w] for w in words if w in _NUMBERS), None)


def _entity_label(token: Token) -> str:
    return token.ent_type_ or ("PERSON" if token.pos_ == "PROPN" else "")


def _kinds(token: Token, lexicon: Lexicon) -> tuple[set[str], str]:
    """The generic kinds a named head is of (its label, COUNTRY, LEADER: see actors.yaml generic_plurals)
    and the key that tells one entity from another (a country's code, else the text)."""
    label, key = _label_and_key(token)
    kinds = {label}
    country = _country_code(token, label)
    if country is not None:
        kinds.add("COUNTRY")
        key = country
    if label == "PERSON":
        described = [t for c in token.children if c.dep_ == "appos" for t in c.subtree]
        if any(pair in lexicon.leader_titles for pair in lemma_pairs(phrase_tokens(token) + described)):
            kinds.add("LEADER")  # "President Putin", "Putin, the Russian president"
    return kinds, key


def _label_and_key(token: Token) -> tuple[str, str]:
    """A named head's entity label and its text; a title with a named person in apposition ("the
    president, Anna Berg") is that person."""
    named = next((c for c in token.children if c.dep_ == "appos" and _entity_label(c) == "PERSON"), None)
    if token.pos_ == "NOUN" and named is not None:
        return "PERSON", named.text
    return _entity_label(token), token.text


def _country_code(token: Token, label: str) -> str | None:
    """The country a GPE or NORP head names (countries.py), else None."""
    if label not in ("GPE", "NORP"):
        return None
    country = lookup_country(" ".join(t.text for t in phrase_tokens(token) if t.ent_type_ == label))
    return country.code if country is not None else None


def _named_head(token: Token) -> bool:
    """The head of a noun phrase that names someone ("Putin", "the Russian defence ministry")."""
    if token.pos_ not in ("PROPN", "NOUN") or token.dep_ in ("compound", "flat", "amod", "poss"):
        return False
    if token.pos_ == "PROPN":
        return token.ent_type_ not in _NOT_ACTOR_LABELS
    return any(_is_name(c) or c.ent_type_ in _ACTOR_LABELS for c in token.children if c.dep_ in _MODIFIER_DEPS)


def _same_kind(token: Token, pronoun: str, strict: bool) -> bool:
    """Whether `token` can be what `pronoun` refers to; strict: plural for they, not just a country."""
    person = token.ent_type_ == "PERSON"
    plural = token.tag_ in ("NNS", "NNPS") or bool(token.conjuncts)
    if pronoun in ("he", "she", "him", "her"):
        return person
    if pronoun in ("they", "them"):
        return plural or (not strict and token.ent_type_ in ("GPE", "ORG", "NORP"))
    if pronoun == "it":
        return not person and not plural
    return True


def antecedent(token: Token, lexicon: Lexicon, salience: Salience) -> Token | None:
    """What a pronoun or relative pronoun stands for; None when it cannot be told. A pronoun in what a
    verb of saying reports is its speaker ("Russia said it had deployed"); others refer back."""
    if token.tag_ in _RELATIVE_TAGS:
        resolved = relative_antecedent(token)
        return resolved if resolved != token else None
    if not is_pronoun(token, lexicon):
        return token
    return reported_speaker(token, lexicon) or salience.latest(token)


def reported_speaker(pronoun: Token, lexicon: Lexicon) -> Token | None:
    """The speaker a pronoun subject of reported speech stands for ("Russia said it had deployed":
    Russia), told by the sentence alone; None elsewhere."""
    clause = clause_head(pronoun)
    if pronoun.dep_ in SUBJECTS and clause.dep_ == "ccomp" and phrasal_lemma(clause.head) in lexicon.reporting_verbs:
        return next((s for s in subjects_of(clause.head) if s.pos_ != "PRON"), None)
    return None


def participants(head: Token, lexicon: Lexicon, lookup: EntityLookup, salience: Salience) -> list[Participant]:
    """`describe` after resolving pronouns and generic phrases ("the two leaders" may be two
    participants); none for a pronoun with no antecedent."""
    target = antecedent(head, lexicon, salience)
    if target is None or not any(c.isalpha() for c in target.text):
        return []
    if target.pos_ == "NOUN":  # "the group's leader, Abu Bakr": the name in apposition is who acted
        name = next((c for c in target.children if c.dep_ == "appos" and _is_name(c)), None)
        if name is not None:
            return [describe(name, lexicon, lookup)]
    if earlier := salience.generic(target):  # "the two leaders", or a pronoun that stands for it
        phrase = phrase_tokens(head)
        said = head.doc.text[phrase[0].idx : phrase[-1].idx + len(phrase[-1].text)]
        return [replace(describe(t, lexicon, lookup), resolved_from=said, source=COREFERENCE) for t in earlier]
    described = describe(target, lexicon, lookup)
    if target != head:
        described = replace(described, resolved_from=head.text, source=COREFERENCE)
    return [described]
