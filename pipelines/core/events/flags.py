"""Whether an event happened as stated: negated, hypothetical, future, reported by someone.

PLOVER asks coders to record these rather than drop the event, so analysts can filter ("only events that
happened") without losing the record. Each flag is read from the clause of the event and the clauses
that embed it: "did not attack" (negated), "if Russian forces were to cross" / "could attack" / "it
would be wrong to deny" / "people thinking that soldiers beat up" (hypothetical), "will meet", "plans to
visit" (future), "Moscow said it had deployed", "according to Reuters" (reported speech).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from spacy.tokens import Token

from pipelines.core.events.lexicon import Lexicon
from pipelines.core.events.syntax import (
    children,
    clause_head,
    governors,
    infinitival,
    lemma_of,
    object_controllers,
    phrasal_lemma,
)

# Verbs whose to-clause did not happen: "failed to agree"; or is only made possible or needed: "deals to
# allow the UK to deport", "India needed to ease restrictions".
_NEGATING_GOVERNORS = frozenset({"fail"})
# Verbs whose gerund is the action they end ("stopped providing aid"), not report; with a to-clause they
# give a purpose instead ("stopped to talk to reporters": he talked).
_ENDING_GOVERNORS = frozenset({"stop", "cease", "quit"})
_UNREALISED_GOVERNORS = frozenset({"allow", "permit", "enable", "let", "need"})
# Verbs whose object carries out their to-clause ("forced the protesters to leave": they left; "prompting
# unions to threaten action": they threatened); after any other verb with an object the to-clause is only
# what the object was told, urged or advised to do (syntax.object_controllers).
_IMPLICATIVE_GOVERNORS = frozenset({"force", "compel", "oblige", "help", "cause", "get", "make", "lead", "prompt"})
_ATTRIBUTING = frozenset({"say", "report", "believe", "know", "think", "understand", "allege", "claim", "suspect"})


@dataclass(frozen=True)
class Flags:
    negated: bool = False
    hypothetical: bool = False
    future: bool = False
    reported: bool = False
    reporter: Token | None = None  # the reporting verb, when reported
    scheduled: bool = False  # future only as others expect or schedule it ("is expected to meet")


def _aux(verb: Token) -> set[str]:
    return {c.lower_ for c in verb.children if c.dep_ in ("aux", "auxpass")}


# Tensed forms no bare verb shares: "promised", "promises". A present "promise" (VBP) looks like the bare
# form an auxiliary governs ("would not cut or impose"), so the tagger's choice there is no evidence.
_FINITE = frozenset({"VBD", "VBZ"})


def _control_chain(verb: Token) -> list[Token]:
    """The verb and the verbs whose to-clause it is ("plans to visit": visit, plans; "it would be hard
    for them to defy": defy, be): a to-clause has no tense or mood of its own, it takes its governor's."""
    chain = [verb]
    while chain[-1].head != chain[-1] and chain[-1].head.pos_ in ("VERB", "AUX"):
        current = chain[-1]
        if not (current.dep_ in ("xcomp", "conj") or (current.dep_ in ("advcl", "ccomp") and infinitival(current))):
            break
        if current.dep_ == "conj" and current.tag_ in _FINITE:
            break  # "would not respond and promised to": a tensed conjunct has no share in the other's auxiliaries
        chain.append(current.head)
    return chain


def _asked(verb: Token, lexicon: Lexicon) -> bool:
    """An action a question asks about ("why target the airlines?", "will Russia attack?"): the question
    mark closes the event's clause, or the clause a verb of saying quotes."""
    clause = clause_head(verb)
    for outer in (clause, *governors(verb)):
        if phrasal_lemma(outer) in lexicon.reporting_verbs:
            break
        clause = outer
    return any(t.text == "?" for t in clause.subtree if t.i > verb.i)


def _evaluated(chain: list[Token]) -> bool:
    """A to-clause that a predicate adjective evaluates ("it is fair to criticise", "wrong to deny people
    …", "possible to launch"): the action is weighed, not reported."""
    for inner, outer in itertools.pairwise(chain):
        if infinitival(inner) and any(c.dep_ == "acomp" and c.pos_ == "ADJ" for c in outer.children):
            return True
    return False


def _directed(chain: list[Token], lexicon: Lexicon) -> bool:
    """A to-clause that another verb directs at its object ("warned the rebels to lay down their arms",
    "told the rebels to withdraw", "Israel was urged to release"): what someone was told to do, not done.
    A passive verb that schedules ("is expected to meet": future) or attributes ("is said to have
    attacked": reported) does not direct."""
    for inner, outer in itertools.pairwise(chain):
        controllers = object_controllers(inner)
        governor = lemma_of(outer)
        if not controllers or governor in _IMPLICATIVE_GOVERNORS:
            continue
        if controllers[0].dep_ == "dobj" or (governor not in lexicon.future_verbs and governor not in _ATTRIBUTING):
            return True
    return False


def _ended(chain: list[Token]) -> bool:
    """An action another verb says was stopped ("the US stopped providing aid to the rebels")."""
    return any(
        inner.tag_ == "VBG" and inner.dep_ == "xcomp" and lemma_of(outer) in _ENDING_GOVERNORS
        for inner, outer in itertools.pairwise(chain)
    )


def _controllers(chain: list[Token]) -> list[Token]:
    """The verbs of the chain whose to-clause the action is ("plans to visit": plans), not the verbs it is
    coordinated with ("set fire to cars and threw stones": "set" is no "set to")."""
    return [outer for inner, outer in itertools.pairwise(chain) if inner.dep_ != "conj"]


def event_flags(verb: Token, lexicon: Lexicon) -> Flags:
    """Flags of the event whose clause is headed by `verb` (the trigger, or the light verb of a noun)."""
    chain = _control_chain(verb)
    controllers = _controllers(chain)
    negated = (
        any(c.dep_ == "neg" for v in chain for c in v.children)
        or any(lemma_of(v) in _NEGATING_GOVERNORS for v in controllers)
        or _ended(chain)
    )
    embedding = [clause_head(verb), *governors(verb)]
    reporter = next((g for g in governors(verb) if phrasal_lemma(g) in lexicon.reporting_verbs), None)
    modals = {m for v in chain for m in _aux(v)}
    # "Israel announced it would free …": reported speech shifts "will" back to "would"
    backshifted = reporter is not None and "would" in modals
    conditional = any(
        c.dep_ == "mark" and c.lower_ in lexicon.hypothetical_markers for v in embedding for c in v.children
    )
    believed = any(phrasal_lemma(g) in lexicon.belief_verbs for g in governors(verb))
    unrealised = any(lemma_of(v) in _UNREALISED_GOVERNORS for v in controllers) or _directed(chain, lexicon)
    hypothetical = conditional or believed or unrealised or _evaluated(chain) or _asked(verb, lexicon)
    hypothetical = hypothetical or bool(modals & lexicon.modal_hypothetical - ({"would"} if backshifted else set()))
    announced = bool(modals & lexicon.future_markers) or backshifted
    planned = [v for v in controllers if lemma_of(v) in lexicon.future_verbs]
    future = announced or bool(planned)
    scheduled = not announced and bool(planned) and all(children(v, "nsubjpass") for v in planned)
    sentence = verb.sent
    if reporter is None and sentence.root != verb and lemma_of(sentence.root) in lexicon.reporting_verbs:
        reporter = sentence.root
    according = any(t.lower_ == "according" and t.nbor(1).lower_ == "to" for t in sentence[:-1])
    return Flags(negated, hypothetical, future, reporter is not None or according, reporter, scheduled)
