"""Small dependency-tree helpers shared by the actor, flag and trigger rules (spaCy English labels)."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

from spacy.tokens import Token

# Dependency labels that start a clause of their own: words below them belong to another clause.
CLAUSE_DEPS = frozenset({"ROOT", "ccomp", "xcomp", "advcl", "relcl", "acl", "parataxis", "csubj", "pcomp"})
SUBJECTS = frozenset({"nsubj", "nsubjpass", "csubj"})
OBJECTS = frozenset({"dobj", "obj"})


def is_clause_head(token: Token) -> bool:
    return token.pos_ in ("VERB", "AUX") and (
        token.dep_ in CLAUSE_DEPS or (token.dep_ == "conj" and token.head.pos_ in ("VERB", "AUX"))
    )


def clause_head(token: Token) -> Token:
    """The verb heading the clause `token` belongs to (the sentence root when none is closer)."""
    current = token
    while not is_clause_head(current) and current.head != current:
        current = current.head
    return current


def children(token: Token, *deps: str) -> list[Token]:
    return [child for child in token.children if child.dep_ in deps]


def infinitival(verb: Token) -> bool:
    """A to-clause's verb ("to attack"): it carries the infinitive marker "to"."""
    return any(c.dep_ == "aux" and c.tag_ == "TO" for c in verb.children)


# Inflected forms the model's lemmatizer gets wrong, to their lemma ("staged" → "stag" would hide every
# "staged a protest" and "staged 1,000 attacks").
_LEMMA_FIXES = {
    "staged": "stage",
    "staging": "stage",
    "raped": "rape",
    "raping": "rape",
    "forgave": "forgive",
    "retook": "retake",
}
# Particles the parser sometimes attaches as adverbs ("drove back the rebels", "brushed aside").
_ADVERB_PARTICLES = frozenset({"back", "aside", "off", "out", "down", "up", "away"})


def lemma_of(token: Token) -> str:
    """The token's lower-case lemma, with the lemmatizer's known slips corrected: every rule reads
    lemmas through here, so a fix applies to verbs, nouns and cue words alike."""
    return _LEMMA_FIXES.get(token.lower_) or token.lemma_.lower()


def particles(token: Token) -> list[Token]:
    """The verb's particles: parsed as such, or as an adverb or a preposition right after it ("called off
    the strike" with the strike under "off")."""
    return [c for c in token.children if c.dep_ == "prt" or (c.i == token.i + 1 and _particle_like(c))]


def particles_after_object(token: Token) -> list[Token]:
    """An adverb or a preposition right after the verb's object that may be its particle ("pulled its
    forces out of the region", "drove the rebels back") or may say where ("seized a tanker off the coast",
    "ambushed a patrol down the road"). Not part of phrasal_lemma: a lexicon key is tried with it, and
    the verb without it when no such key fits."""
    after = after_objects(token)
    return [c for c in token.children if c.i in after and _particle_like(c)]


def _particle_like(token: Token) -> bool:
    """An adverb or a preposition the parser may have made of a particle ("out of the region")."""
    if token.lower_ not in _ADVERB_PARTICLES:
        return False
    return token.dep_ == "advmod" or (token.dep_ == "prep" and bool(children(token, "pobj", "prep")))


def after_objects(verb: Token) -> set[int]:
    """Positions right after the verb's objects: where a particle or preposition of the verb stands when
    its object comes between them ("pulled its forces out of", "warned Iran of")."""
    return {o.right_edge.i + 1 for o in children(verb, *OBJECTS)}


def phrasal_lemma(token: Token) -> str:
    """Lemma plus particle ("carry out", "pull back"): what the lexicons key multi-word verbs by."""
    return " ".join([lemma_of(token), *(c.lower_ for c in particles(token))])


def governors(token: Token) -> Iterator[Token]:
    """Clause heads above `token`'s clause, nearest first (the clauses that embed it)."""
    current = clause_head(token)
    while current.head != current:
        current = clause_head(current.head)
        yield current


def with_conjuncts(token: Token) -> list[Token]:
    """The token and the words coordinated with it ("Russia and Turkey")."""
    return [token, *token.conjuncts] if token.dep_ != "conj" else [token]


def prep_objects(token: Token, preps: tuple[str, ...]) -> list[Token]:
    """Objects of the given prepositions attached to `token` ("sanctions against X" → X)."""
    found = []
    for prep in token.children:
        if prep.dep_ in ("prep", "agent", "dative") and prep.lower_ in preps:
            found.extend(c for c in prep.children if c.dep_ == "pobj")
    return found


def lemma_pairs(tokens: list[Token]) -> Iterator[str]:
    """Adjacent lemma pairs ("air force") then single lemmas, so two-word keys are tried first."""
    lemmas = [lemma_of(t) for t in tokens]
    for first, second in itertools.pairwise(lemmas):
        yield f"{first} {second}"
    yield from lemmas


# Prepositions whose gerund is an action its governor's agent did: its means or the reason for it ("to"
# is left out: "opposed to holding talks", "looked forward to meeting" tell of no action).
_MEANS = frozenset({"by", "for", "through"})


# Verbs whose subject, not object, does what their to-clause says ("promised Iran to withdraw", "used his
# TV appearance to defend the plans").
_SUBJECT_CONTROL = frozenset({"promise", "vow", "pledge", "threaten", "use"})


def object_controllers(verb: Token) -> list[Token]:
    """Who carries out a to-clause that follows an object: its governor's object ("warned the rebels to lay
    down their arms": the rebels) or passive subject ("Putin is scheduled to meet": Putin). Empty for any
    other verb, and after a verb whose own subject acts ("promised Iran to withdraw")."""
    if verb.dep_ != "xcomp" or not infinitival(verb) or lemma_of(verb.head) in _SUBJECT_CONTROL:
        return []
    return children(verb.head, "dobj") or children(verb.head, "nsubjpass")


def subjects_of(verb: Token) -> list[Token]:
    """Subjects of the verb; a to-clause or coordinated verb without one takes its governor's ("Moscow …
    has been attempting …, and said": Moscow said), a participle the noun it describes, a gerund that
    says how or why its governor acted its governor's object or else subject ("punished Iran by cutting
    aid": who punished; "arrested them for protesting": them). After other prepositions a gerund is no
    action of its own ("after attacking", "without firing", "accused them of plotting"). A to-clause after
    an object is the object's ("told the rebels to withdraw": the rebels)."""
    current = verb
    while True:
        subjects = [t for c in children(current, "nsubj", "csubj") for t in with_conjuncts(c)]
        if not subjects and current.dep_ in ("acl", "relcl") and current.tag_ == "VBG":
            return [current.head]  # "protesters demanding a referendum": the noun does it
        if not subjects and current.dep_ == "pcomp" and current.tag_ == "VBG" and current.head.lower_ in _MEANS:
            governor = current.head.head
            # "for": the one it is done to did it ("arrested them for protesting"); "by": the doer
            controllers = children(governor, *OBJECTS) if current.head.lower_ == "for" else []
            controllers = controllers or children(governor, "nsubjpass")
            if governor.pos_ in ("VERB", "AUX") and controllers:
                return [t for c in controllers for t in with_conjuncts(c)]
            if governor.pos_ in ("VERB", "AUX"):
                current = governor
                continue
        if subjects or current.dep_ not in ("xcomp", "conj", "advcl") or current.head == current:
            return subjects
        controllers = object_controllers(current)  # "warned the rebels to lay down their arms": they would
        if controllers:
            return [t for c in controllers for t in with_conjuncts(c)]
        current = current.head


def relative_antecedent(token: Token) -> Token:
    """The noun a relative pronoun stands for ("clashes that killed": clashes); other tokens unchanged."""
    if token.tag_ in ("WDT", "WP"):
        clause = clause_head(token)
        if clause.dep_ in ("relcl", "acl"):
            return clause.head
    return token
