"""The event coder: PLOVER events from a stored spaCy parse, one pass over its sentences, no model run.

A sentence yields an event for each trigger: a verb of the verb lexicon ("deployed", "accused") or an
event noun of the noun lexicon carried by a light verb ("held talks", "carried out airstrikes", "imposed
sanctions"). The trigger's sense (chosen by its object where the lexicon says so: "sent troops" mobilizes,
"sent aid" aids) gives the event type; the dependency tree gives the actors (subject, passive agent, or
the nationality on an event noun: "Russian strikes") and recipients (object or the lexicon's
prepositions), the clause gives flags and the date, prepositional phrases the place. Actions that are the
content of another event ("threatened to drive back", "urged Russia to stop") or its purpose ("staged a
hunger strike to demand") are not coded twice.

Events whose actor the text does not name are coded too, with no actor (actor_source "none"): agentless
passives ("grenades were hurled at the convoy", "civilians killed in bombings"), an event noun or weapon
as subject ("an explosion hit the market", "a car bomb killed"), and event nouns that stand alone
("clashes erupted", "there were clashes", "died in an explosion", "announced the deaths of 15
militants"). An active verb whose subject names no actor ("the storm killed") is not an event.
Announced conflict is a threat, as PLOVER reads it ("will attack", "vowed to attack": THREATEN), like
announced cooperation is an intention (AGREE). In an article in the sport, entertainment, business or
technology register (register.py) only events with a participant of a political sector are kept.

CODER_VERSION combines the code version below with a hash of every rules file: editing a lexicon or the
code re-codes articles, and rows carry the version that made them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date

from spacy.tokens import Doc, Span, Token

from pipelines.core.events.actors import (
    NONE,
    PLACE_LABELS,
    SECTOR,
    EntityLookup,
    Participant,
    Salience,
    describe_place,
    is_actor_like,
    is_political_actor,
    is_pronoun,
    no_entities,
    participants,
)
from pipelines.core.events.flags import Flags, event_flags
from pipelines.core.events.lexicon import Lexicon, NounSense, VerbSense, lexicon_version, load_lexicon
from pipelines.core.events.ontology import event_types, quad_class
from pipelines.core.events.register import NEWS, article_register
from pipelines.core.events.syntax import (
    CLAUSE_DEPS,
    OBJECTS,
    after_objects,
    children,
    clause_head,
    infinitival,
    lemma_of,
    particles,
    particles_after_object,
    phrasal_lemma,
    prep_objects,
    relative_antecedent,
    subjects_of,
    with_conjuncts,
)
from pipelines.core.events.when import resolve_date

# Bump when the coding logic changes; lexicon edits change CODER_VERSION through lexicon_version().
_CODE_VERSION = "10"
CODER_VERSION = f"{_CODE_VERSION}.{lexicon_version()}"

# Verbs used as adjectives ("Turkish-backed insurgents") or as nouns are not triggers.
_NOT_TRIGGER_DEPS = frozenset({"amod", "compound", "nsubj", "nsubjpass", "dobj", "pobj", "csubj"})
_PLACE_PATH_DEPS = frozenset({"prep", "pobj", "dobj", "npadvmod", "compound", "appos", "advmod", "nmod"})
_NATIONALITY_DEPS = frozenset({"amod", "poss", "compound", "nmod"})
# Prepositions whose event noun is a happening of its own when the clause's verb is no event ("died in an
# explosion", "closed the border amid clashes"); "of" only after "because" or "as a result". After
# "after" or "following" an event is background, like an "after" clause.
_ALONE_PREPS = frozenset({"in", "during", "amid"})
_NO_EVENT_DETS = frozenset({"no", "any"})
# Conjunctions that make a clause the time or cause of another ("after Israel attacked", "as the
# opposition threatened"): an event told there is background, coded from the report that tells it as news.
# A condition ("if Russia attacks", "unless Baghdad accepted") is no event either: it is part of the
# threat or offer it conditions.
_BACKGROUND_MARKS = frozenset({"after", "before", "as", "when", "since", "because", "while", "until", "once"})
_CONDITION_MARKS = frozenset({"if", "unless"})


@dataclass(frozen=True)
class CodedEvent:
    sentence_idx: int
    trigger: str
    trigger_char: int
    start_char: int
    end_char: int
    event_type: str
    mode: str | None
    quad_class: str
    actors: tuple[Participant, ...]
    recipients: tuple[Participant, ...]
    location: Participant | None
    event_date: date | None
    date_text: str | None
    negated: bool
    hypothetical: bool
    future: bool
    reported: bool
    confidence: float
    actor_source: str = NONE  # how the first actor was found: named, sector, coreference or none


@dataclass(frozen=True)
class _Trigger:
    """A matched trigger before actors are read: the word, its clause verb and the sense."""

    token: Token
    verb: Token  # the clause verb: the trigger itself, the light verb carrying an event noun, or the verb
    # of the clause a standalone event noun is in
    sense: VerbSense | NounSense
    words: str
    alone: bool = False  # an event noun without a light verb: the clause verb's subject is not its actor
    light: str | None = None  # the light verb (with its preposition) that carries an event noun


def _object_heads(verb: Token) -> list[Token]:
    """What the verb acts on: direct objects, a passive subject, or the subject of its to-clause."""
    heads = [t for c in children(verb, *OBJECTS, "nsubjpass", "attr") for t in with_conjuncts(c)]
    if not heads:  # "the civilians imprisoned … were released"
        heads = _misread_subjects(verb)
    if not heads:  # "sealed off the area" parsed with the area under "off": a particle verb's object
        heads = [t for p in particles(verb) for c in children(p, "pobj") for t in with_conjuncts(c)]
    if not heads and _reduced_relative(verb):
        heads = [verb.head]  # "civilians killed in bombings": the noun is what the verb acts on
    if not heads and verb.dep_ == "relcl" and not any(c.tag_ in ("WDT", "WP") for c in verb.children):
        heads = [verb.head]  # "the agreements (that) it had struck": the antecedent is the object
    if not heads:  # "expects Russia to stop": who is to act; a finite clause ("accepted that …") is no object
        for clause in children(verb, "ccomp", "xcomp"):
            if infinitival(clause):
                heads.extend(t for c in children(clause, "nsubj") for t in with_conjuncts(c))
    return heads


def _in_class(token: Token, words: frozenset[str], lexicon: Lexicon) -> bool:
    """Whether the object is of a class: its head or a compound or adjective on it, seen through a
    partitive ("captured part of the stronghold", "took control of the town") or, for a sum, its "in"
    phrase ("$5m in aid")."""
    token = _counted(token, lexicon)
    related = [token, *(c for c in token.children if c.dep_ in ("compound", "amod"))]
    if token.ent_type_ == "MONEY" or children(token, "nummod"):  # "50 million euros in aid": a sum of aid
        related += [o for p in children(token, "prep") if p.lower_ == "in" for o in children(p, "pobj")]
    return any(lemma_of(t) in words or t.lower_ in words for t in related)  # "the wounded": not "wound"


def _verb_keys(token: Token) -> list[str]:
    """Lexicon keys to try, most specific first. A particle verb is its own verb ("sign up" is not
    "sign"), so its bare lemma is tried only when it has no particle; a word after the object that may be
    a particle or a place ("seized a tanker off the coast") is tried first, then the verb without it."""
    lemma, phrasal = lemma_of(token), phrasal_lemma(token)
    keys = [f"{phrasal} {p.lower_}" for p in particles_after_object(token)]  # "pulled its forces out"
    keys.append(phrasal)
    keys += [f"{lemma} {c.lower_}" for c in token.children if c.dep_ == "prep" and _next_to(token, c)]
    keys += [f"{lemma} {m.lower_}" for c in _for_clauses(token) for m in children(c, "mark")]
    # a sense that takes a that-clause ("charged that the army had fired": an accusation)
    keys += [f"{lemma} that" for c in children(token, "ccomp") if c.i > token.i and _marked(c, "that")]
    keys += [f"{lemma} {lemma_of(c)}" for c in token.children if c.dep_ in (*OBJECTS, "oprd")]  # "held … responsible"
    return keys if phrasal != lemma else [*keys, lemma]


def _marked(clause: Token, *marks: str) -> bool:
    """The clause opens with one of these subordinators ("that the army had fired", "for Turkey to")."""
    return any(m.lower_ in marks for m in children(clause, "mark"))


def _names_someone(token: Token, lexicon: Lexicon) -> bool:
    """An object that names an actor, not a plan or a measure a sector word qualifies ("military action")."""
    things = lexicon.object_classes.get("positions", frozenset()) | lexicon.object_classes.get("measures", frozenset())
    return is_actor_like(relative_antecedent(token), lexicon) and not _in_class(token, things, lexicon)


def _next_to(verb: Token, prep: Token) -> bool:
    """A preposition that belongs to the verb ("called on", "pushed for", "protested against"): right
    after it, or after an adverb. "gave details in a speech" is no "give in". An "of" or "with" right after
    the verb's object is the verb's own ("warned Iran of reprisals", "charged three men with murder"):
    unlike "in" or "on", neither is a time or place adjunct, and no lexicon key pairs "with" with a verb
    of force, where it would name the weapon."""
    between = verb.doc[verb.i + 1 : prep.i]
    if prep.lower_ in ("of", "with") and prep.i in after_objects(verb):
        return True
    return prep.i > verb.i and all(t.pos_ in ("ADV", "PART") for t in between) and len(between) <= 1


def _conditions_hold(sense: VerbSense, token: Token, objects: list[Token], lexicon: Lexicon) -> bool:
    if sense.complement_required:
        passive = _passive(token) and not sense.stative and not _agents(token)  # "was pressured by Congress to" asks
        if passive or not _complement(token):
            return False  # "asked about the plan", "is expected to": no request
    direct = [o for o in objects if o.dep_ in (*OBJECTS, "nsubjpass")]
    if _ruled_out(sense, objects, direct, lexicon):
        return False  # "fired the finance minister" is no shooting, whoever the actors are
    own = sense.needs_violence or bool(sense.objects)  # a condition of its own besides the actors
    violent = not sense.needs_violence or _violent_setting(token, lexicon)  # not "targeted voters"
    if (own or not sense.by_actors) and violent and _objects_match(sense, objects, lexicon):
        return True
    # "Israel struck Gaza", "the army pounded the rebels": the actors choose the sense
    return sense.by_actors and _between_political_actors(sense, token, objects, lexicon)


def _between_political_actors(sense: VerbSense, verb: Token, objects: list[Token], lexicon: Lexicon) -> bool:
    """PETRARCH's sense filter: an active verb whose subject is a political actor and whose object (or
    recipient) is one too, or a named place ("struck Aleppo"), unless it acts "with" something other than
    arms."""
    if _passive(verb) or _headline_passive(verb):
        return False
    if any(not _in_class(w, lexicon.arms, lexicon) for w in prep_objects(verb, ("with",))):
        return False  # "hit Britain with tariffs", "struck Iran with sanctions": no blow
    targets = objects + prep_objects(verb, tuple(p for p in sense.recipient_preps or () if p != "object"))
    if not any(is_political_actor(s, lexicon) for s in subjects_of(verb)):
        return False
    return any(t.ent_type_ in PLACE_LABELS or is_political_actor(t, lexicon) for t in targets)


def _ruled_out(sense: VerbSense, objects: list[Token], direct: list[Token], lexicon: Lexicon) -> bool:
    """The sense's "unless" condition: "fired the finance minister" is no shooting."""
    return ("any" in sense.unless and bool(direct)) or any(
        _in_class(o, lexicon.object_classes[c], lexicon) for o in objects for c in sense.unless - {"any"}
    )


def _objects_fit(sense: VerbSense, objects: list[Token], direct: list[Token], lexicon: Lexicon) -> bool:
    """The sense's object conditions ("objects", "unless") on what the verb (or its noun) acts on."""
    return not _ruled_out(sense, objects, direct, lexicon) and _objects_match(sense, objects, lexicon)


def _objects_match(sense: VerbSense, objects: list[Token], lexicon: Lexicon) -> bool:
    """The sense's "objects" condition alone, for callers that have checked "unless" already."""
    if not sense.objects:
        return True
    if "any" in sense.objects and objects:
        return True
    if "actor" in sense.objects and any(_names_someone(o, lexicon) for o in objects):
        return True  # "helped the rebels", not "helped boost profits"
    if "place" in sense.objects and any(o.ent_type_ in PLACE_LABELS for o in objects):
        return True  # "attacked Iraq"
    classes = sense.objects - {"any", "actor", "place"}
    return any(_in_class(o, lexicon.object_classes[c], lexicon) for o in objects for c in classes)


def _verb_sense(token: Token, lexicon: Lexicon) -> tuple[VerbSense, str] | None:
    objects = _object_heads(token)
    for key in _verb_keys(token):
        if not (senses := lexicon.verbs.get(key)):
            continue
        acted_on = objects + _prepositional_objects(token, key)
        for sense in senses:
            if _conditions_hold(sense, token, acted_on, lexicon):
                return sense, key
    return None


def _prepositional_objects(verb: Token, key: str) -> list[Token]:
    """What a prepositional verb acts on: the object of the preposition its lexicon key ends in ("took to
    the streets", "warned of reprisals"), so that the sense's object classes can choose by it."""
    if " " not in key:
        return []
    last = key.rsplit(" ", 1)[-1]
    preps = [c for c in verb.children if c.dep_ == "prep" and c.lower_ == last and _next_to(verb, c)]
    return [t for p in preps for o in children(p, "pobj") for t in with_conjuncts(o)]


def _noun_key_candidates(token: Token) -> Iterator[str]:
    lemma = lemma_of(token)
    for child in token.children:
        if child.dep_ in ("compound", "amod") and child.i == token.i - 1:
            yield f"{lemma_of(child)} {lemma}"
        if child.dep_ == "prep" and child.lower_ == "of":  # "state of emergency"
            yield from (f"{lemma} of {lemma_of(o)}" for o in children(child, "pobj"))
    yield lemma


def _noun_sense(token: Token, light: str | None, lexicon: Lexicon) -> tuple[NounSense, str] | None:
    """The sense of an event noun carried by `light`, or standing alone when `light` is None."""
    exclusive = light in lexicon.exclusive_light_verbs
    for key in _noun_key_candidates(token):
        for sense in lexicon.nouns.get(key, ()):
            if light is None and sense.alone:
                return sense, key
            named = light in sense.light_verbs if sense.light_verbs is not None else not exclusive
            if light is not None and named:
                return sense, key
    return _derived_sense(token, lexicon) if light is not None and not exclusive else None


def _derived_sense(token: Token, lexicon: Lexicon) -> tuple[NounSense, str] | None:
    """The sense of a nominalisation carried by a light verb ("ordered the expulsion of the diplomats",
    "announced the release of 150 prisoners"): its verb's sense (nouns.yaml derived), whose object is the
    noun's "of" phrase and is also the recipient. Senses that need a clause, two sides or a giver are left
    to the verb."""
    lemma = lemma_of(token)
    verb = lexicon.derived.get(lemma)
    if verb is None:
        return None
    objects = [t for p in prep_objects(token, ("of",)) for t in with_conjuncts(p)]
    for sense in lexicon.verbs[verb]:
        if sense.complement_required or sense.symmetric or sense.converse or sense.two_sided:
            continue
        if _objects_fit(sense, objects, objects, lexicon):
            preps = tuple(p for p in ("of", *(sense.recipient_preps or ())) if p != "object")
            return NounSense(
                lemma, sense.event_type, sense.mode, None, preps, needs_violence=sense.needs_violence
            ), lemma
    return None


def _stands_alone(token: Token, lexicon: Lexicon) -> bool:
    """Whether an event noun in a clause with no event of its own reports a happening by its position:
    subject ("clashes erupted"), "there were clashes", a verbless headline, the object of a verb of
    saying ("reported the deaths of"), a place/time phrase of the verb ("died in an explosion") or its
    cause ("because of fighting").
    Elsewhere it is talk about an event ("to prevent attacks", "the anniversary of the bombing")."""
    if any(c.dep_ == "det" and c.lower_ in _NO_EVENT_DETS for c in token.children):
        return False
    dep, head = token.dep_, token.head
    if dep in ("nsubj", "nsubjpass", "ROOT"):
        return True
    if dep == "attr":
        return any(c.dep_ == "expl" for c in head.children)
    if dep in OBJECTS:
        return phrasal_lemma(head) in lexicon.reporting_verbs
    if _cause_of(token) is not None:
        return True
    return dep == "pobj" and head.head.pos_ in ("VERB", "AUX") and head.lower_ in _ALONE_PREPS


def _cause_of(token: Token) -> Token | None:
    """The verb whose cause the noun is ("closed its borders because of fighting", "died as a result of
    torture", "due to clashes"), or None."""
    if token.dep_ != "pobj":
        return None
    prep = token.head
    if prep.lower_ == "of" and prep.head.lower_ == "result" and prep.head.head.lower_ == "as":
        prep = prep.head.head  # "as a result of"
    elif prep.lower_ in ("of", "to") and prep.head.lower_ in ("because", "due", "owing"):
        prep = prep.head  # "because of" read as one preposition, "due to", "owing to"
    elif prep.lower_ not in ("because", "due", "owing"):  # the parser also hangs the noun on "because"
        return None
    governor = prep.head
    return governor if governor.pos_ in ("VERB", "AUX") else None


def _violent_setting(trigger: Token, lexicon: Lexicon) -> bool:
    """Whether the trigger's sentence tells of violence by another word than the trigger: a violence cue
    ("gunmen", "grenades") or a participant of an armed sector ("police", "troops")."""
    for token in trigger.sent:
        lemma = lemma_of(token)
        armed = token.pos_ in ("NOUN", "PROPN") and lexicon.sectors.get(lemma) in lexicon.armed_sectors
        if token != trigger and (lemma in lexicon.violence_cues or armed):
            return True
    return False


def _standalone_nouns(sentence: Span, verbs: set[int], lexicon: Lexicon) -> Iterator[_Trigger]:
    """Event nouns that report a happening without a light verb, in clauses with no event of their own
    (in a coded clause they are its cue: "killed in an explosion" is one ASSAULT)."""
    for token in sentence:
        if token.pos_ not in ("NOUN", "PROPN") or token.dep_ in ("compound", "amod", "poss", "nmod"):
            continue
        match = _noun_sense(token, None, lexicon)
        if match is None or clause_head(token).i in verbs or not _stands_alone(token, lexicon):
            continue
        if match[0].needs_violence and not _violent_setting(token, lexicon):
            continue
        yield _Trigger(token, clause_head(token), match[0], token.text, alone=True)


def _foreground(token: Token, lexicon: Lexicon) -> bool:
    """Whether `token` is on the sentence's main line: the root, what a verb of saying reports, a
    coordinated clause, a subject or object there, a participle describing one ("civilians killed in
    bombings"), or a place/time phrase or cause of its verb. An event without an actor is coded only there: in a
    relative clause, a purpose or the content of another event it is background ("the curfew imposed
    after the coup", "rejected a call for troops to be deployed")."""
    current = token
    while current.dep_ != "ROOT":
        dep, head = current.dep_, current.head
        reported = dep in ("ccomp", "parataxis") and phrasal_lemma(head) in lexicon.reporting_verbs
        described = _reduced_relative(current) and head.dep_ in ("ROOT", "attr", "nsubj", "nsubjpass")
        placed = dep == "pobj" and head.lower_ in _ALONE_PREPS and head.head.pos_ in ("VERB", "AUX")
        if placed:
            head = head.head
        elif (cause := _cause_of(current)) is not None:
            head = cause
        elif not (dep in ("conj", "nsubj", "nsubjpass", "attr", *OBJECTS) or reported or described):
            return False
        current = head
    return True


_DISMISSAL = VerbSense(verb="dismiss", event_type="REJECT")
_DISPOSITION = VerbSense(verb="be ready", event_type="AGREE", complement=True)
_DEMAND = VerbSense(verb="must", event_type="REQUEST", complement=True)
_ALLEGATION = VerbSense(verb="allege", event_type="ACCUSE", mode="allege")


def _allegations(found: list[_Trigger], lexicon: Lexicon) -> tuple[list[_Trigger], set[int]]:
    """Conflict that a speaker only claims someone else did ("the US claimed ISIL had attacked Iraq"):
    an ACCUSE by the speaker; the claimed action is not coded as having happened. Returns the ACCUSE
    triggers and the verbs of the claimed actions."""
    accusations: dict[int, _Trigger] = {}
    claimed = set()
    for t in found:
        clause = t.verb
        while clause.dep_ == "conj":  # "claimed ISIL had attacked Iraq and taken Mosul": both are claimed
            clause = clause.head
        said = clause.head
        if clause.dep_ != "ccomp" or phrasal_lemma(said) not in lexicon.allegation_verbs:
            continue
        if quad_class(t.sense.event_type) == "material_conflict":
            speakers = {s.lower_ for s in subjects_of(said)}
            if any(s.lower_ not in speakers and not is_pronoun(s, lexicon) for s in subjects_of(t.verb)):
                claimed.add(t.verb.i)
                accusations.setdefault(said.i, _Trigger(said, said, _ALLEGATION, said.text))
    return list(accusations.values()), claimed


def _dispositions(sentence: Span, lexicon: Lexicon) -> Iterator[_Trigger]:
    """ "France is ready to contribute troops": a commitment, its content the to-clause."""
    for token in sentence:
        if token.dep_ == "acomp" and lemma_of(token) in lexicon.dispositions and children(token, "xcomp"):
            yield _Trigger(token, token.head, _DISPOSITION, token.text)


# Verbs that take a mandative subjunctive ("demanded that he resign"); after other verbs of saying a
# base form is a present tense the tagger misread ("the Tories say 47 countries impose").
_MANDATIVE = frozenset({"demand", "insist", "ask", "urge", "request", "recommend", "require", "order", "propose"})


def _subjunctive(verb: Token) -> bool:
    """A mandative subjunctive: a base-form verb with its own subject and no auxiliary in the "that" clause
    of a verb of demanding ("insisted that the US lift sanctions", "demanded that he resign"): what the
    speaker wants done."""
    if verb.tag_ != "VB" or lemma_of(verb.head) not in _MANDATIVE:
        return False
    return bool(children(verb, "nsubj")) and not children(verb, "aux", "auxpass")


def _demands(sentence: Span, lexicon: Lexicon) -> Iterator[_Trigger]:
    """ "Russia said Sudan must return the helicopter", "Iran insisted that the US lift sanctions": the
    speaker demands it of the subject of the clause (the speaker and the one who must act differ)."""
    for token in sentence:
        modal = token.dep_ == "aux" and token.lower_ in lexicon.demand_modals
        if not modal and not (token.dep_ == "ccomp" and _subjunctive(token)):
            continue
        verb = token.head if modal else token
        if verb.dep_ not in ("ccomp", "parataxis") or phrasal_lemma(verb.head) not in lexicon.reporting_verbs:
            continue
        speakers = {t.lower_ for t in subjects_of(verb.head)}
        if not any(s.lower_ not in ("we", "i", *speakers) for s in subjects_of(verb)):
            continue
        yield _Trigger(token, verb, _DEMAND, token.text)


def _dismissals(sentence: Span, lexicon: Lexicon) -> Iterator[_Trigger]:
    """ "X said the allegations are baseless", "X said talks were out of the question": a REJECT by the
    speaker, its trigger the adjective or the phrase."""
    for token in sentence:
        if token.dep_ in ("acomp", "attr") and lemma_of(token) in lexicon.dismissal_adjectives:
            said_of = [s for s in children(token.head, "nsubj", "nsubjpass")]
            if any(lemma_of(s) in lexicon.accusation_nouns for s in said_of):
                yield _Trigger(token, token.head, _DISMISSAL, token.text)
        elif token.dep_ == "prep" and lemma_of(token.head) == "be" and children(token.head, "nsubj", "csubj"):
            phrase = " ".join(t.lower_ for t in token.subtree)
            if phrase in lexicon.ruling_out_phrases:  # "was out of the question", "is off the table"
                yield _Trigger(token, token.head, _DISMISSAL, phrase)


_BE_NAMED = frozenset({"name", "identify"})  # "declined to be named"


def _no_comment(trigger: _Trigger, lexicon: Lexicon) -> bool:
    """A refusal to speak or be named ("declined to comment", "refused to confirm", "declined to be
    named"): what a spokesman tells the press, not a rejection of anyone's demand."""
    if trigger.sense.event_type != "REJECT" or not isinstance(trigger.sense, VerbSense):
        return False
    content = _complement(trigger.token)
    return bool(content) and all(phrasal_lemma(c) in lexicon.reporting_verbs | _BE_NAMED for c in content)


def _misread_participle(verb: Token) -> Token | None:
    """The verb the parser made the conjunct of a participle it read as the main verb: in "the civilians
    imprisoned for acting against Moscow were released" it hangs "were released" (passive, no subject,
    no "and") on "imprisoned". Returns that real main verb, or None."""
    if verb.tag_ not in ("VBD", "VBN") or not children(verb, "nsubj"):
        return None
    if children(verb, "aux", "auxpass", "cc", *OBJECTS):  # not a bare participle, or truly joined by "and"
        return None
    subjectless = (c for c in children(verb, "conj") if not children(c, "nsubj", "nsubjpass"))
    return next((c for c in subjectless if c.i > verb.i and children(c, "auxpass")), None)


def _misread_subjects(verb: Token) -> list[Token]:
    """What `verb` acts on when it is the real main verb the parser hung on a participle it misread as the
    main one (_misread_participle): that participle's subject ("the civilians imprisoned … were released":
    the civilians were released). Empty otherwise; _object_heads and _patients both fall back on it."""
    if _misread_participle(verb.head) != verb:
        return []
    return [t for c in children(verb.head, "nsubj") for t in with_conjuncts(c)]


def _described_background(trigger: _Trigger, found: list[_Trigger]) -> bool:
    """A participle that describes a participant of another event ("the civilians imprisoned for …
    were released", "weapons seized by police were destroyed"): it says who they are, not news."""
    verb = trigger.verb
    real = _misread_participle(verb)
    if real is not None and not trigger.alone:
        return any(t.verb == real for t in found)
    if not _reduced_relative(verb) or trigger.alone:
        return False
    return any(t.verb.i == clause_head(verb.head).i for t in found if t is not trigger)


def _background(verb: Token) -> bool:
    """A clause introduced as the time or cause of another ("resigned as the opposition threatened")."""
    clause = clause_head(verb)
    marks = _BACKGROUND_MARKS | _CONDITION_MARKS
    return clause.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ in marks for c in clause.children)


def _told_twice(trigger: _Trigger, by_verb: dict[int, _Trigger]) -> bool:
    """An action told again under another event's verb: the same type ("will meet … to discuss"), a
    purpose ("staged a hunger strike to demand reforms": the demand is the protest's), or the words of a
    material action ("blocked roads demanding his return")."""
    verb = trigger.verb
    governor = by_verb.get(verb.head.i) if verb.dep_ in ("advcl", "xcomp") else None
    if governor is None or governor is trigger:
        return False
    if governor.sense.event_type == trigger.sense.event_type:
        return True
    if infinitival(verb):
        return True
    verbal = quad_class(trigger.sense.event_type).startswith("verbal")
    return verb.tag_ == "VBG" and verbal and not quad_class(governor.sense.event_type).startswith("verbal")


def _noun_complement(verb: Token) -> bool:
    """A to-clause that completes a noun ("the right to protest", "plans to attack", "a rally to
    protest"): what the noun is about, no action told."""
    return verb.dep_ in ("acl", "relcl") and infinitival(verb)


def _light_verb_nouns(token: Token, light: str, lexicon: Lexicon) -> Iterator[tuple[str, Token]]:
    """(light verb, event noun) pairs the verb carries: its objects ("carried out airstrikes", seen through
    partitives), or the object of a preposition that belongs to the light verb ("went on strike", "took
    part in a protest")."""
    if light in lexicon.light_verbs:
        yield from ((light, _counted(n, lexicon)) for n in _object_heads(token))
    objects = [lemma_of(o) for o in children(token, *OBJECTS)]
    for prep in children(token, "prep"):
        for key in (f"{light} {prep.lower_}", *(f"{light} {o} {prep.lower_}" for o in objects)):
            if key in lexicon.light_verbs:
                yield from ((key, _counted(n, lexicon)) for n in children(prep, "pobj"))


def _triggers(sentence: Span, lexicon: Lexicon) -> list[_Trigger]:
    found: list[_Trigger] = []
    for token in sentence:
        if token.pos_ != "VERB" or token.dep_ in _NOT_TRIGGER_DEPS or _noun_complement(token):
            continue
        words = " ".join([token.text, *(c.text for c in token.children if c.dep_ == "prt")])
        nouns = []
        for light, noun in _light_verb_nouns(token, phrasal_lemma(token), lexicon):
            match = _noun_sense(noun, light, lexicon) if noun.pos_ in ("NOUN", "PROPN") else None
            if match and (not match[0].needs_violence or _violent_setting(noun, lexicon)):
                nouns.append(_Trigger(noun, token, match[0], f"{words} {noun.text}", light=light))
        if nouns:  # "carried out airstrikes", "host talks": the event noun says what happened
            found.extend(nouns)
        elif match := _verb_sense(token, lexicon):
            found.append(_Trigger(token, token, match[0], words))
    found.extend(_dispositions(sentence, lexicon))
    demands = list(_demands(sentence, lexicon))
    complements = {
        c.i
        for t in found
        if isinstance(t.sense, VerbSense) and t.sense.complement
        for c in _content_clauses(_complement(t.token))
    } | {c.i for c in _content_clauses([t.verb for t in demands])}
    accusations, claimed = _allegations(found, lexicon)
    found = [t for t in found if not (_described_background(t, found) or _no_comment(t, lexicon))] + accusations
    kept = [t for t in found if t.verb.i not in complements | claimed and not _background(t.verb)]
    by_verb = {t.verb.i: t for t in kept}
    kept = [t for t in kept if not _told_twice(t, by_verb)]
    kept.extend(_standalone_nouns(sentence, {t.verb.i for t in found}, lexicon))
    kept.extend(_dismissals(sentence, lexicon))
    kept.extend(demands)
    return kept


def _for_clauses(token: Token) -> list[Token]:
    """Clauses introduced by "for … to" ("pushed for Turkey to accept")."""
    return [c for c in children(token, "advcl") if _marked(c, "for")]


def _complement(token: Token) -> list[Token]:
    """The action a complement-taking verb is about ("threatened to drive back": drive back). A question
    ("asked whether the party would …", "asked which party") is no action."""
    clauses = children(token, "xcomp", "ccomp") + _for_clauses(token)
    # the parser often hangs the to-clause of "offered to …", "committed to …" as an adverbial one
    clauses += [c for c in children(token, "advcl") if infinitival(c)]
    for prep in children(token, "prep"):
        if prep.lower_ in _CONTENT_PREPS:
            clauses.extend(children(prep, "pcomp", "pobj"))
    return [t for c in clauses if not _interrogative(c) for t in with_conjuncts(c)]


def _content_clauses(clauses: list[Token]) -> list[Token]:
    """The clauses and every clause inside them that is part of what they say ("refused to allow the
    planes to land and evacuate the observers": allow, land, evacuate), not a relative clause about a
    participant ("refused to meet the rebels who attacked the town": the attack is told as fact)."""
    found, stack = [], list(clauses)
    while stack:
        clause = stack.pop()
        if clause in found:
            continue
        found.append(clause)
        stack.extend(c for c in clause.children if c.dep_ in ("xcomp", "ccomp", "conj", "advcl", "pcomp"))
    return found


# Prepositions that introduce what a verb is about ("agreed on a ceasefire", "committed to opening",
# "called for talks", "accused of lying"), not who with ("agreed with everything she has done").
_CONTENT_PREPS = frozenset({"to", "on", "for", "of", "from", "against"})


def _interrogative(clause: Token) -> bool:
    """A clause that asks: opened by if/whether or a wh-word, or a quoted question ("'… ?' he asked")."""
    if any(c.dep_ == "mark" and c.lower_ in ("if", "whether") for c in clause.children):
        return True
    if clause.dep_ in ("ccomp", "parataxis") and any(t.text == "?" for t in clause.subtree):
        return True
    first = min(clause.subtree, key=lambda t: t.i)
    return first.tag_ in ("WDT", "WP", "WP$", "WRB") and first.lower_ != "that"


def _reduced_relative(verb: Token) -> bool:
    """A past participle describing a noun: "civilians killed in bombings", "10 soldiers killed"."""
    return verb.dep_ == "acl" and verb.tag_ == "VBN"


def _headline_passive(verb: Token) -> bool:
    """A past participle with a subject and no auxiliary is a passive: headlines write them ("Civilians
    killed in bombings") and so do absolute clauses ("with at least 23,000 people killed"). The tagger
    says VBD for an active past, so the subject of a bare VBN without an object is what the verb acts on
    (with an object it is an active past the tagger missed)."""
    auxiliaries = ("aux", "auxpass")
    if verb.tag_ != "VBN" or any(c.dep_ in (*auxiliaries, *OBJECTS) for c in verb.children):
        return False
    if verb.dep_ == "conj" and any(c.dep_ in auxiliaries for c in verb.head.children):
        return False  # "had attacked and killed": the auxiliary of the first verb serves both
    return any(c.dep_ == "nsubj" for c in verb.children)


def _passive(verb: Token) -> bool:
    return any(c.dep_ in ("nsubjpass", "auxpass") for c in verb.children) or _reduced_relative(verb)


def _patients(verb: Token) -> list[Token]:
    """What a passive verb acts on: its passive subject, the noun a participle describes, or a headline
    participle's subject."""
    deps = ("nsubjpass", "nsubj") if _headline_passive(verb) else ("nsubjpass",)
    found = [t for c in children(verb, *deps) for t in with_conjuncts(c)]
    if not found:
        found = _misread_subjects(verb)
    return found or ([verb.head] if _reduced_relative(verb) else [])


def _counted(noun: Token, lexicon: Lexicon) -> Token:
    """What a partitive noun counts ("a series of bombings": bombings); other nouns unchanged."""
    if lemma_of(noun) in lexicon.partitive_nouns:
        return next(iter(prep_objects(noun, ("of",))), noun)
    return noun


def _is_event_noun(token: Token, lexicon: Lexicon) -> bool:
    """A noun that names a happening or a weapon; never a name ("Amnesty International" accuses) nor a
    noun of an actor's sector ("the opposition" acts; "voiced opposition" is a stance)."""
    token = _counted(token, lexicon)
    if token.pos_ == "PROPN" or token.ent_type_ in ("ORG", "PERSON", "GPE", "NORP"):
        return False
    if lemma_of(token) in lexicon.sectors:
        return False
    return bool({lemma_of(token), token.lower_} & (lexicon.event_nouns | lexicon.nouns.keys()))


def _agents(verb: Token) -> list[Token]:
    return [t for a in children(verb, "agent") for p in children(a, "pobj") for t in with_conjuncts(p)]


def _nationalities(noun: Token) -> list[Token]:
    """Nationalities on an event noun or its compound ("Israeli tank shelling", "Russian strikes")."""
    modifiers = [c for c in noun.children if c.dep_ in _NATIONALITY_DEPS]
    modifiers += [g for c in modifiers if c.dep_ == "compound" for g in c.children if g.dep_ in _NATIONALITY_DEPS]
    return [t for t in modifiers if t.ent_type_ == "NORP"]


def _acting(heads: list[Token], lexicon: Lexicon) -> list[Token]:
    """Subjects that can act: an event noun as subject ("shelling by Syrian forces killed …") hands the
    role to its "by" phrase or nationality, a message to whoever issued it ("issued a statement
    condemning …"); a phrase that names no actor is dropped."""
    found = []
    for head in map(relative_antecedent, heads):
        if _is_event_noun(head, lexicon):
            found.extend(prep_objects(head, ("by",)) or _nationalities(head))
        elif lemma_of(head) in lexicon.message_nouns and not is_actor_like(head, lexicon):
            found.extend(subjects_of(clause_head(head)))  # "issued a declaration demanding": the issuer
        else:
            found.append(head)
    return [h for h in found if is_actor_like(h, lexicon)]


def _verb_recipients(token: Token, sense: VerbSense) -> list[Token]:
    preps = sense.recipient_preps
    direct = [t for c in children(token, *OBJECTS, "dative") for t in with_conjuncts(c)]
    if preps is not None:
        return (direct if "object" in preps else []) + prep_objects(token, preps)
    if _passive(token) or _headline_passive(token):
        return _patients(token)
    if not sense.complement:
        return direct
    content = _complement(token)
    addressees = [t for c in content for s in children(c, "nsubj") for t in with_conjuncts(s)]
    if sense.event_type == "THREATEN":  # "threatened to drive back the Syrian forces"
        addressees += [t for c in content for o in children(c, *OBJECTS) for t in with_conjuncts(o)]
    return direct + addressees


def _roles(trigger: _Trigger, lexicon: Lexicon) -> tuple[list[Token], list[Token], bool]:
    """Head tokens of the actors and recipients, before pronoun resolution, and whether the event stands
    without an actor (an agentless passive, an event noun or weapon as subject, a standalone event noun)."""
    token, verb, sense = trigger.token, trigger.verb, trigger.sense
    passive = (_passive(verb) or _headline_passive(verb)) and not trigger.alone
    subjects = [] if trigger.alone or passive else subjects_of(verb)
    if passive and isinstance(sense, VerbSense) and sense.stative and not _agents(verb):
        passive, subjects = False, _patients(verb)  # "Israel is opposed to …": Israel's stance
    if isinstance(sense, VerbSense) and sense.converse and not passive:  # "received weapons from Iran"
        givers = [t for p in prep_objects(verb, ("from",)) for t in with_conjuncts(p)]
        return _acting(givers, lexicon), [s for s in subjects if is_actor_like(s, lexicon)], not givers
    if trigger.light in lexicon.converse_light_verbs:  # "faces pressure from Congress": Congress acts
        givers = [t for p in prep_objects(token, ("from",)) + prep_objects(verb, ("from",)) for t in with_conjuncts(p)]
        return _acting(givers, lexicon), [s for s in subjects if is_actor_like(s, lexicon)], False
    if sense is _DISMISSAL or sense is _DEMAND:  # the speaker: "The Pentagon said the allegations are baseless"
        subjects = subjects_of(verb.head) if verb.dep_ in ("ccomp", "parataxis") else []
    actors = _agents(verb) if passive else subjects
    actorless = trigger.alone or (passive and all(_is_event_noun(a, lexicon) for a in actors))
    actorless = actorless or (bool(subjects) and all(_is_event_noun(relative_antecedent(s), lexicon) for s in subjects))
    if passive and not actors:  # "killed in Israeli shelling": the nationality of the event noun acts
        actors = [n for n in prep_objects(verb, ("in", "during", "by")) if _is_event_noun(n, lexicon)]
    if isinstance(sense, NounSense):
        participants = [t for p in prep_objects(token, sense.participant_preps) for t in with_conjuncts(p)]
        if not actors:  # "protests by students", "Russian strikes", "Israel's attack"
            national = [c for c in token.children if c.dep_ in _NATIONALITY_DEPS and c.ent_type_ in ("NORP", "GPE")]
            actors = [t for p in prep_objects(token, ("by",)) for t in with_conjuncts(p)] or national
        actors = actors + [p for p in participants if p not in actors]
        recipients = prep_objects(token, sense.recipient_preps)
        if not trigger.alone:  # "imposed sanctions on Iran": the light verb's phrase is the noun's
            recipients += prep_objects(verb, sense.recipient_preps)
    elif sense is _DEMAND:  # "Sudan must return …": who must act
        recipients = subjects_of(verb)
    elif sense is _ALLEGATION:  # "claimed that ISIL had attacked": who is accused
        recipients = [s for c in children(verb, "ccomp") for s in subjects_of(c)]
    else:
        recipients = _verb_recipients(token, sense)
    actors = _acting(actors, lexicon)
    if isinstance(sense, VerbSense) and sense.symmetric:  # "clashed with": both sides, or no clash
        actors, recipients = actors + [r for r in _acting(recipients, lexicon) if r not in actors], []
        actors = actors if len(actors) > 1 else []
    recipients = [r for r in recipients if r not in actors and is_actor_like(relative_antecedent(r), lexicon)]
    return list(dict.fromkeys(actors)), list(dict.fromkeys(recipients)), actorless


def _own_tokens(trigger: _Trigger) -> list[Token]:
    """The words of the event's own clause (plus a complement's): where mode cues and places are read."""
    complement = isinstance(trigger.sense, VerbSense) and trigger.sense.complement
    seen: list[Token] = []
    stack = [trigger.verb, trigger.token]
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.append(current)
        for child in current.children:
            if child.dep_ in CLAUSE_DEPS and not (complement and child.dep_ in ("xcomp", "ccomp")):
                continue
            stack.append(child)
    return seen


def _mode(event_type: str, words: list[Token], lexicon: Lexicon) -> str | None:
    """The first mode of `event_type` (modes.yaml order) with a cue among `words`."""
    lemmas = [lemma_of(t) for t in sorted(words, key=lambda t: t.i)]
    present = set(lemmas) | {f"{a} {b}" for a, b in itertools.pairwise(lemmas)}
    for mode, cues in lexicon.mode_cues.get(event_type, ()):
        if present.intersection(cues):
            return mode
    return None


# Violence a crowd does (CAMEO 145, "protest violently, riot": stone-throwing, arson, fighting with
# police): no mode, or one of these. Protesters who shoot, bomb or fire missiles commit an ASSAULT.
_CROWD_VIOLENCE = frozenset({None, "destroy", "primitive", "beat"})


def _riot(
    verb: Token, actor_heads: list[Token], recipient_heads: list[Token], actors: list[Participant], lexicon: Lexicon
) -> bool:
    """Violence by protesters, rioters or a crowd, or by unarmed people during a protest ("youths threw
    stones at soldiers during a demonstration"), is a riot: PLOVER codes it PROTEST (mode riot), as ACLED
    codes a violent demonstration. Force used on them ("police fired on protesters", "troops opened fire
    during the rally", "vigilantes killed two demonstrators amid the protests") stays ASSAULT."""
    crowd = lexicon.object_classes.get("protesters", frozenset())
    if any(_in_class(h, crowd, lexicon) for h in actor_heads):
        return True
    if any(_in_class(h, crowd, lexicon) for h in recipient_heads):
        return False  # the protest is the setting, the protesters its victims
    protests = lexicon.object_classes.get("protests", frozenset())
    setting = prep_objects(verb, ("during", "at", "amid"))  # not "in protest at": a motive
    return any(_in_class(o, protests, lexicon) for o in setting) and not any(
        a.sector in lexicon.armed_sectors for a in actors
    )


def _conditioned(verb: Token) -> bool:
    """The action is made to depend on a condition ("would withdraw if …", "may halt … unless …")."""
    return any(_marked(c, *_CONDITION_MARKS) for c in children(verb, "advcl"))


def _threat_mode(announced: str, cues: list[Token], lexicon: Lexicon) -> str | None:
    """The mode of a threat: violence when what is announced is an assault, else what its words say,
    short of violence ("will strike over pay" threatens a walkout, not an attack)."""
    if announced == "ASSAULT":
        return "violence"
    mode = _mode("THREATEN", cues, lexicon)
    return None if mode == "violence" and announced != "AGREE" else mode


def _pledge(trigger: _Trigger) -> list[Token]:
    """What a commitment ("vowed to …", an AGREE verb with a complement) commits to; nothing for any other
    trigger."""
    sense = trigger.sense
    if not (isinstance(sense, VerbSense) and sense.complement and sense.event_type == "AGREE"):
        return []
    return _complement(trigger.token)


def _pledged_conflict(pledge: list[Token], lexicon: Lexicon) -> bool:
    """A commitment whose content is conflict ("vowed to attack", "pledged to expel"): a threat, since
    AGREE is a commitment to cooperate."""
    contents = (_verb_sense(c, lexicon) for c in pledge if c.pos_ == "VERB")
    return any(m and quad_class(m[0].event_type) == "material_conflict" for m in contents)


def _announced_refusal(flags: Flags, intent: str) -> bool:
    """Cooperation announced as not going to happen ("will not release the prisoners", "said it would not
    negotiate with Hamas", "will not meet the rebel leader"): a refusal (REJECT), as an announced act of
    cooperation is an intention (AGREE, or a planned meeting); `intent` is what the action announced would
    be. A condition keeps it hypothetical ("would not withdraw if attacked"), and conflict disowned ("will
    not attack") is no event."""
    cooperation = quad_class(intent).endswith("cooperation")
    return flags.future and flags.negated and not flags.hypothetical and cooperation


def _pledged_refusal(pledge: list[Token]) -> bool:
    """A commitment not to act ("vowed not to return the Golan Heights"): a refusal (REJECT)."""
    return any(children(c, "neg") for c in pledge)


def _place(trigger: _Trigger, taken: set[int], lookup: EntityLookup) -> Participant | None:
    """First named place reached from the trigger through prepositional phrases and objects."""
    entities = {t.i: ent for ent in trigger.token.doc.ents if ent.label_ in PLACE_LABELS for t in ent}
    queue = [trigger.token] + ([trigger.verb] if trigger.verb != trigger.token else [])
    seen = set()
    while queue:
        current = queue.pop(0)
        if current.i in seen:
            continue
        seen.add(current.i)
        if current.i not in taken and current != trigger.token:
            if current.i in entities:
                return describe_place(current, entities[current.i], lookup)
            if _unlabelled_place(current) or _geocoded(current, lookup):
                return describe_place(current, current.doc[current.i : current.i + 1], lookup)
        queue.extend(c for c in current.children if c.dep_ in _PLACE_PATH_DEPS)
    return None


_PLACE_PREPOSITIONS = frozenset({"in", "at", "near", "outside", "around", "across", "into", "inside", "to"})
_NOT_PLACE_LABELS = frozenset({"PERSON", "ORG", "NORP", "DATE", "TIME", "CARDINAL", "ORDINAL", "MONEY", "PERCENT"})


def _unlabelled_place(token: Token) -> bool:
    """A proper noun after "in"/"near" that the NER missed or mislabelled ("airstrikes in Aleppo")."""
    return (
        token.pos_ == "PROPN"
        and token.dep_ == "pobj"
        and token.head.lower_ in _PLACE_PREPOSITIONS
        and token.ent_type_ not in _NOT_PLACE_LABELS
    )


def _geocoded(token: Token, lookup: EntityLookup) -> bool:
    """A word the entity linker placed on the map, whatever the NER called it."""
    entity = lookup(token.idx, token.idx + len(token.text))
    return token.pos_ == "PROPN" and entity is not None and entity.lat is not None


def _date(trigger: _Trigger, flags: Flags, published: date | None) -> tuple[date | None, str | None]:
    """The event's date expression (its clause's, else the reporting clause's) and the day it names."""
    sentence = trigger.verb.sent
    dates = [e for e in sentence.ents if e.label_ == "DATE"]
    own = [e for e in dates if clause_head(e.root) == trigger.verb or e.root.head == trigger.token]
    if not own and flags.reporter is not None and not flags.future:
        own = [e for e in dates if clause_head(e.root) == flags.reporter]
    for expression in own:
        resolved = resolve_date(expression.text, published, flags.future)
        if resolved is not None:
            return resolved, expression.text
    return None, own[0].text if own else None


def _confidence(trigger: _Trigger, actors: list[Participant], recipients: list[Participant], flags: Flags) -> float:
    """An ordering score for analysts (which events to trust first), not a calibrated probability."""
    score = 0.55 if isinstance(trigger.sense, VerbSense) else 0.45
    if any(a.entity or a.country_code or a.sector for a in actors):
        score += 0.2
    if not actors:
        score -= 0.1
    if any(a.resolved_from for a in actors):
        score -= 0.1
    if recipients:
        score += 0.1
    if flags.hypothetical:
        score -= 0.15
    return round(min(0.95, max(0.05, score)), 2)


_REFLEXIVES = frozenset({"himself", "herself", "itself", "themselves", "oneself", "myself", "ourselves"})


def _reflexive(trigger: _Trigger) -> bool:
    """The verb acts on its own subject ("killed himself", "armed themselves")."""
    return any(c.dep_ in OBJECTS and c.lower_ in _REFLEXIVES for c in trigger.verb.children)


def _setting_fits(
    trigger: _Trigger,
    actor_heads: list[Token],
    actors: list[Participant],
    recipients: list[Participant],
    lexicon: Lexicon,
) -> bool:
    """Conditions of the sense on the whole event. Harm told without an actor ("five people were killed":
    an attack, or a crash?) is an attack only in a violent setting, and never next to an accident ("killed
    in a car crash"). A two-sided sense (a meeting) needs a second party, and an object it acts on must be
    someone when the object is the other party ("met the costs" is no meeting; "discussed the crisis" is
    about a topic)."""
    sense = trigger.sense
    if not actors and sense.event_type == "ASSAULT":
        if any(lemma_of(t) in lexicon.accident_cues for t in trigger.token.sent):
            return False
        if sense.mode is None and not trigger.alone and not _violent_setting(trigger.token, lexicon):
            return False
    if sense.two_sided:
        if isinstance(sense, VerbSense) and (sense.recipient_preps is None or "object" in sense.recipient_preps):
            objects = [o for c in children(trigger.verb, *OBJECTS) for o in with_conjuncts(c)]
            if any(not is_actor_like(o, lexicon) for o in objects):
                return False
        # a plural actor meets among itself when it is named or counted ("EU finance ministers met", "the
        # two leaders met"), not "officials began to talk about inflation"
        plural = any(h.tag_ in ("NNS", "NNPS") or h.lower_ in ("they", "we") for h in actor_heads)
        counted = any(c.dep_ == "nummod" or c.lower_ == "both" for h in actor_heads for c in h.children)
        return bool(recipients) or len(actors) > 1 or (plural and (counted or any(a.source != SECTOR for a in actors)))
    return True


def _code_trigger(
    trigger: _Trigger,
    sentence_idx: int,
    lexicon: Lexicon,
    lookup: EntityLookup,
    salience: Salience,
    published: date | None,
    register: str = NEWS,
) -> CodedEvent | None:
    if _reflexive(trigger):
        return None  # "who later killed himself": no action on another actor
    actor_heads, recipient_heads, actorless = _roles(trigger, lexicon)
    actors = [p for h in actor_heads for p in participants(h, lexicon, lookup, salience)]
    if not actors and not actorless:
        return None
    if (trigger.alone or not actors) and not _foreground(trigger.token if trigger.alone else trigger.verb, lexicon):
        return None
    recipients = [p for h in recipient_heads for p in participants(h, lexicon, lookup, salience)]
    # a group resolved as recipient may name the actor too ("X accused both parties"): X is not its own target
    acting = {(a.start_char, a.end_char) for a in actors}
    recipients = [r for r in recipients if (r.start_char, r.end_char) not in acting]
    if register != NEWS and not any(p.sector in lexicon.political_sectors for p in actors + recipients):
        return None  # "Chelsea beat Arsenal", "the critics praised the film"
    if not _setting_fits(trigger, actor_heads, actors, recipients, lexicon):
        return None
    # A demand's modal ("Sudan must return") is its content's; the demand was made when it was said.
    flags = event_flags(trigger.verb.head if trigger.sense is _DEMAND else trigger.verb, lexicon)
    own = _own_tokens(trigger)
    cues = own + [t for h in actor_heads for t in h.subtree]
    taken = {t.i for h in actor_heads + recipient_heads for t in h.subtree}
    event_date, date_text = _date(trigger, flags, published)
    event_type = trigger.sense.event_type
    mode = trigger.sense.mode or _mode(event_type, cues, lexicon)
    if (
        event_type == "ASSAULT"
        and mode in _CROWD_VIOLENCE
        and _riot(trigger.verb, actor_heads, recipient_heads, actors, lexicon)
    ):
        event_type, mode = "PROTEST", "riot"  # "rioters torched cars", "protesters clashed with police"
    # What an actor announces is its intention or threat; a meeting others expect or schedule ("is
    # expected to meet") is that meeting, flagged future, and conflict they expect ("is expected to
    # attack") is neither a threat nor an event.
    intent = None if flags.scheduled else event_types()[event_type].future_as
    if flags.scheduled and quad_class(event_type).endswith("conflict"):
        flags = replace(flags, hypothetical=True)
    if intent and flags.hypothetical and (flags.reported or flags.future) and _conditioned(trigger.verb):
        # "may halt mediation if cooperation founders, the minister said": a conditional threat (or offer)
        flags = replace(flags, hypothetical=False, future=True)
    pledge = _pledge(trigger)
    if _pledged_refusal(pledge) or _announced_refusal(flags, intent or event_type):
        event_type, mode = "REJECT", None
        flags = replace(flags, negated=False)  # the refusal itself is stated, not denied
    elif _pledged_conflict(pledge, lexicon) or (flags.future and intent == "THREATEN"):
        event_type, mode = "THREATEN", _threat_mode(event_type, cues, lexicon)  # "will attack", "vowed to expel"
    elif flags.future and intent:  # "will free the prisoners": an intention (PLOVER AGREE)
        event_type, mode = intent, None
    if not actors and not quad_class(event_type).startswith("material"):
        return None  # a statement needs a speaker: "will be offered for sale", "the plan was criticised"
    sentence = trigger.token.sent
    inside = [
        (p.start_char, p.end_char)
        for p in actors + recipients
        if sentence.start_char <= p.start_char < sentence.end_char
    ]
    trigger_span = (
        min(trigger.token.idx, trigger.verb.idx),
        max(t.idx + len(t.text) for t in (trigger.token, trigger.verb)),
    )
    spans = [trigger_span, *inside]
    return CodedEvent(
        sentence_idx=sentence_idx,
        trigger=trigger.words,
        trigger_char=trigger.token.idx,
        start_char=min(s for s, _ in spans),
        end_char=max(e for _, e in spans),
        event_type=event_type,
        mode=mode,
        quad_class=quad_class(event_type),
        actors=tuple(actors),
        recipients=tuple(recipients),
        location=_place(trigger, taken, lookup),
        event_date=event_date,
        date_text=date_text,
        negated=flags.negated,
        hypothetical=flags.hypothetical,
        future=flags.future,
        reported=flags.reported,
        confidence=_confidence(trigger, actors, recipients, flags),
        actor_source=actors[0].source if actors else NONE,
    )


def code_events(doc: Doc, published: date | None = None, lookup: EntityLookup = no_entities) -> list[CodedEvent]:
    """Every event the coder finds in `doc`, in text order. `published` anchors relative dates; `lookup`
    links participants to entities (without it they keep text, sector and rule-based country)."""
    lexicon = load_lexicon()
    salience = Salience(lexicon)
    register = article_register(doc, lexicon)
    events = []
    for sentence_idx, sentence in enumerate(doc.sents):
        for trigger in _triggers(sentence, lexicon):
            event = _code_trigger(trigger, sentence_idx, lexicon, lookup, salience, published, register)
            if event is not None:
                events.append(event)
        salience.note_sentence(sentence)
    return events
