"""The event rules files: every entry is valid against the ontology, and each entry class does its job."""

from __future__ import annotations

import pytest
import yaml

from pipelines.core.events import lexicon as lexicon_module
from pipelines.core.events.lexicon import load_lexicon
from pipelines.core.events.ontology import (
    LexiconError,
    cameo_to_plover,
    event_types,
    plover_type,
    quad_class,
    rules_text,
)

SIXTEEN = {
    "AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST",
    "ACCUSE", "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT",
}  # fmt: skip


def test_ontology_has_the_sixteen_plover_types_in_four_quad_classes() -> None:
    assert set(event_types()) == SIXTEEN
    assert quad_class("CONSULT") == "verbal_cooperation"
    assert quad_class("AID") == "material_cooperation"
    assert quad_class("THREATEN") == "verbal_conflict"
    assert quad_class("ASSAULT") == "material_conflict"
    assert plover_type("DEMAND") == "REQUEST" and plover_type("fight") == "ASSAULT"
    with pytest.raises(LexiconError):
        plover_type("CRIME")


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("040", ("CONSULT", None)),
        ("042", ("CONSULT", "visit")),
        ("0841", ("RETREAT", "release")),
        ("085", ("RETREAT", None)),
        ("081", ("CONCEDE", None)),
        ("112", ("ACCUSE", "disapprove")),
        ("1124", ("ACCUSE", "disapprove")),
        ("191", ("COERCE", "restrict")),
        ("195", ("ASSAULT", "aerial")),
        ("190", ("ASSAULT", None)),
        ("015", (None, None)),
        ("023", ("REQUEST", None)),
    ],
)
def test_cameo_codes_map_by_longest_listed_prefix(code: str, expected: tuple) -> None:
    mapping = cameo_to_plover(code)
    assert (mapping.plover, mapping.mode) == expected


def test_every_cameo_root_is_mapped() -> None:
    for root in range(1, 21):
        cameo_to_plover(f"{root:02d}")


def test_lexicons_load_and_every_reference_is_declared() -> None:
    lexicon = load_lexicon()
    assert len(lexicon.verbs) > 150 and len(lexicon.nouns) > 50
    for senses in lexicon.verbs.values():
        for sense in senses:
            assert sense.event_type in SIXTEEN
            assert (sense.objects | sense.unless) <= set(lexicon.object_classes) | {"any", "actor", "place"}
    for senses in lexicon.nouns.values():
        for sense in senses:
            assert sense.light_verbs is None or sense.light_verbs <= lexicon.light_verbs
    assert set(lexicon.mode_cues) <= SIXTEEN


def test_conditional_verb_senses_are_tried_before_general_ones() -> None:
    send = load_lexicon().verbs["send"]
    assert all(s.objects for s in send)  # "send a letter" is no event
    withdraw = load_lexicon().verbs["withdraw"]
    assert [bool(s.objects) for s in withdraw] == sorted((bool(s.objects) for s in withdraw), reverse=True)


def _broken(monkeypatch: pytest.MonkeyPatch, name: str, edit) -> None:
    original = rules_text(name)
    monkeypatch.setattr(lexicon_module, "rules_text", lambda n: edit(original) if n == name else rules_text(n))
    load_lexicon.cache_clear()


@pytest.mark.parametrize(
    ("file", "edit", "message"),
    [
        ("verbs.yaml", lambda t: t.replace("{verb: blame}", "{verb: blame, mode: aerial}"), "not a mode of ACCUSE"),
        ("verbs.yaml", lambda t: t.replace("objects: [aid]}", "objects: [aids]}", 1), "unknown object class"),
        ("verbs.yaml", lambda t: t.replace("ACCUSE:\n", "ACCUZE:\n"), "unknown PLOVER type"),
        ("nouns.yaml", lambda t: t.replace('recipient: ["on", against]', "recipient: [on, against]", 1), "quote 'on'"),
        ("nouns.yaml", lambda t: t.replace("with: [lift]", "with: [lifted]"), "not in light_verbs"),
        ("actors.yaml", lambda t: t.replace("  REF: [refugee,", "  REF: [police, refugee,"), "listed under"),
        ("actors.yaml", lambda t: t.replace("  country: [COUNTRY]", "  country: [CITY]"), "unknown kind"),
        ("verbs.yaml", lambda t: t.replace("actors: political", "actors: armed", 1), "actors must be political"),
    ],
)
def test_a_broken_rules_file_fails_loudly_naming_the_entry(
    monkeypatch: pytest.MonkeyPatch, file: str, edit, message: str
) -> None:
    _broken(monkeypatch, file, edit)
    try:
        with pytest.raises(LexiconError, match=message):
            load_lexicon()
    finally:
        load_lexicon.cache_clear()


def test_rules_files_are_plain_yaml_an_analyst_can_read() -> None:
    for name in ("plover.yaml", "verbs.yaml", "nouns.yaml", "modes.yaml", "actors.yaml"):
        text = rules_text(name)
        assert text.startswith("#"), f"{name} should open with a comment saying how to edit it"
        assert isinstance(yaml.safe_load(text), dict)


def _verb_form(verb: str) -> str:
    """Past tense of a lexicon verb (particle kept): "pull out" → "pulled out"."""
    head, _, rest = verb.partition(" ")
    irregular = {"give": "gave", "take": "took", "break": "broke", "hold": "held", "shoot": "shot",
                 "fight": "fought", "seek": "sought", "send": "sent", "lay": "laid", "throw": "threw",
                 "beat": "beat", "set": "set", "cut": "cut", "put": "put", "shut": "shut", "build": "built",
                 "drive": "drove", "speak": "spoke", "meet": "met", "strike": "struck", "freeze": "froze",
                 "withdraw": "withdrew", "forgive": "forgave", "shrug": "shrugged", "ban": "banned",
                 "stab": "stabbed", "nab": "nabbed", "lob": "lobbed", "step": "stepped", "rebut": "rebutted",
                 "veto": "vetoed", "gun": "gunned", "commit": "committed", "push": "pushed",
                 "abduct": "abducted", "hit": "hit", "slay": "slew", "lend": "lent", "quit": "quit",
                 "bar": "barred", "scrap": "scrapped", "beg": "begged", "equip": "equipped",
                 "undertake": "undertook", "plan": "planned", "stand": "stood"}  # fmt: skip
    if head in irregular:
        past = irregular[head]
    elif head.endswith("e"):
        past = head + "d"
    elif head.endswith("y") and head[-2] not in "aeiou":
        past = head[:-1] + "ied"
    else:
        past = head + "ed"
    return f"{past} {rest}".strip()


# An object of each class, for entries whose sense needs one.
_OBJECT_OF = {
    "police": "riot police", "troops": "troops", "aid": "food aid", "weapons": "weapons",
    "captives": "the prisoners", "sanctions": "sanctions", "restrictions": "the curfew",
    "protests": "the strike", "missiles": "grenades", "ways": "the main road", "diplomats": "diplomats",
    "agreements": "a deal", "relations": "relations", "territory": "the town", "property": "the houses",
    "intelligence": "intelligence", "protesters": "the protesters", "any": "the rebels",
    "refugees": "the refugees", "goods": "the cargo", "people": "the civilians", "actor": "the rebels",
    "place": "Iraq", "positions": "the plan", "staff": "the minister", "game": "the film",
    "demands": "the demands", "streets": "the streets", "measures": "reprisals", "agencies": "the aid agencies",
    "ceasefires": "the truce", "blame": "the rebels responsible",
}  # fmt: skip


def _verb_sentence(sense) -> str:
    """A sentence that reports `sense` the way its entry says: subject, verb, and what the entry needs. The
    other party is the rebels, or the opposition for a sense the verb has besides a violent one ("attacked
    the opposition" is an ACCUSE, "attacked the rebels" an ASSAULT)."""
    verb = _verb_form(sense.verb)
    head, _, rest = verb.partition(" ")
    needs = sorted(sense.objects)[0] if sense.objects else None
    twins = load_lexicon().verbs[sense.verb]
    peaceful = not sense.needs_violence and any(t.needs_violence for t in twins)
    other = "the opposition" if peaceful else "the rebels"
    obj = _OBJECT_OF[needs] if needs else other
    if rest in ("on", "for", "to", "with", "against", "at") and not sense.objects:  # "called on", "pushed for"
        return f"The government {head} {rest} {other} to stop the attacks."
    if sense.complement:
        return f"The government {verb} {other} to stop the attacks."
    if "any" in sense.unless:  # a sense without an object: "the opposition struck on Monday"
        return f"The opposition {verb} on Monday."
    if sense.symmetric:
        return f"Government troops {verb} with the rebels near the border."
    if sense.recipient_preps and "object" not in sense.recipient_preps and not sense.objects:
        prep = sense.recipient_preps[0] if sense.recipient_preps else "against"
        return f"The government {verb} {prep} {other}."
    if rest:  # a particle verb takes its object after the particle
        return f"The government {verb} {obj}."
    return f"The government {verb} {obj}."


def _all_verb_senses() -> list:
    senses = [sense for senses in load_lexicon().verbs.values() for sense in senses]
    return sorted(senses, key=lambda s: (s.event_type, s.verb, sorted(s.objects)))  # the same ids in every worker


@pytest.mark.parametrize("sense", _all_verb_senses(), ids=lambda s: f"{s.event_type}-{s.verb}")
def test_every_verb_entry_codes_its_type(sense) -> None:
    """Each verbs.yaml entry, in a sentence built from it, is coded with its type (or the intention its
    complement makes it, for commitments)."""
    from pipelines.core.events.coder import code_events
    from pipelines.core.nlp.model import load_pipeline

    texts = [_verb_sentence(sense), f"Government troops {_verb_form(sense.verb)} near the border."]
    if sense.complement:  # "offered to stop", "pledged to stop": the subject is the one to act
        texts.append(f"The government {_verb_form(sense.verb)} to stop the attacks.")
    coded = [(e.event_type, e.trigger) for text in texts for e in code_events(load_pipeline()(text))]
    assert sense.event_type in {t for t, _ in coded}, (texts, coded)


def _all_noun_senses() -> list:
    senses = [sense for senses in load_lexicon().nouns.values() for sense in senses]
    return sorted(senses, key=lambda s: (s.event_type, s.noun))


def _noun_sentence(sense) -> str:
    lexicon = load_lexicon()
    light = sorted(sense.light_verbs)[0] if sense.light_verbs else "launch"
    if sense.light_verbs == frozenset() or (sense.alone and sense.light_verbs is None and sense.needs_violence):
        cue = " in the fighting" if sense.needs_violence else ""
        return f"The army reported the {sense.noun} of 15 militants{cue}."
    assert light in lexicon.light_verbs
    prep = sense.recipient_preps[0] if sense.two_sided else "against"  # "held talks with the rebels"
    if light in lexicon.converse_light_verbs:  # "faces pressure from the rebels": they act
        prep = "from"
    return f"The government {_verb_form(light)} a {sense.noun} {prep} the rebels."


@pytest.mark.parametrize("sense", _all_noun_senses(), ids=lambda s: f"{s.event_type}-{s.noun}")
def test_every_noun_entry_codes_its_type(sense) -> None:
    """Each nouns.yaml entry with a light verb it allows (or alone, for nouns that are events by
    themselves) is coded with its type and, when the entry fixes one, its mode."""
    from pipelines.core.events.coder import code_events
    from pipelines.core.nlp.model import load_pipeline

    text = _noun_sentence(sense)
    coded = code_events(load_pipeline()(text))
    found = {(e.event_type, e.mode) for e in coded}
    assert sense.event_type in {t for t, _ in found}, (text, found)
    if sense.mode:
        assert (sense.event_type, sense.mode) in found, (text, found)


def _derived_nouns() -> list[tuple[str, str]]:
    return sorted(load_lexicon().derived.items())


@pytest.mark.parametrize(("noun", "verb"), _derived_nouns(), ids=lambda v: v)
def test_every_derived_noun_carried_by_a_light_verb_codes_its_verbs_type(noun: str, verb: str) -> None:
    """Each nominalisation of the derivational table, carried by a light verb with an "of" phrase of the
    object class its verb needs, is coded with a type its verb has."""
    from pipelines.core.events.coder import code_events
    from pipelines.core.nlp.model import load_pipeline

    senses = [s for s in load_lexicon().verbs[verb] if not (s.complement_required or s.symmetric or s.two_sided)]
    needs = sorted(senses[0].objects)[0] if senses[0].objects else None
    obj = _OBJECT_OF[needs] if needs and needs != "any" else "the rebels"
    cue = " after the fighting" if senses[0].needs_violence else ""
    text = f"The government ordered the {noun} of {obj}{cue}."
    coded = {e.event_type for e in code_events(load_pipeline()(text))}
    assert coded & {s.event_type for s in senses}, (text, coded)


def _coded_all(text: str) -> list:
    from pipelines.core.events.coder import code_events
    from pipelines.core.nlp.model import load_pipeline

    return code_events(load_pipeline()(text))


def _coded(text: str, event_type: str) -> list:
    return [e for e in _coded_all(text) if e.event_type == event_type]


@pytest.mark.parametrize("title", sorted(load_lexicon().leader_titles))
def test_every_leader_title_makes_the_two_leaders_its_holders(title: str) -> None:
    """A titled person outranks a person named since: "the two leaders" are the ones with the title."""
    text = (
        f"{title.title()} Anna Berg met {title.title()} Omar Haddad. An aide, Ivan Petrov, spoke to Lena Novak. "
        "The two leaders agreed to reduce tensions."
    )
    agreed = _coded(text, "AGREE")
    assert agreed, title
    actors = {a.text.split()[-1] for a in agreed[0].actors}
    assert actors == {"Berg", "Haddad"}, (title, [a.text for a in agreed[0].actors])


@pytest.mark.parametrize(("noun", "tiers"), sorted(load_lexicon().generic_plurals.items()))
def test_every_generic_plural_counted_stands_for_entities_named_before(noun: str, tiers) -> None:
    """Each entry resolves: two entities of its first kind named before, then "the two <noun>s" acts."""
    names = {
        "PERSON": ("Anna Berg", "Omar Haddad"),
        "LEADER": ("President Anna Berg", "President Omar Haddad"),
        "ORG": ("Amnesty International", "Human Rights Watch"),
        "GPE": ("France", "Germany"),
        "COUNTRY": ("France", "Germany"),
    }
    first, second = names[next(kind for kind in names if kind in tiers[0])]
    text = f"{first} and {second} met on Monday. The two {noun}s condemned the attack."
    condemned = _coded(text, "ACCUSE")
    assert condemned and all(a.source == "coreference" for a in condemned[0].actors), noun
    assert len(condemned[0].actors) == 2, (noun, [a.text for a in condemned[0].actors])


@pytest.mark.parametrize(
    "sense", [s for s in _all_verb_senses() if s.by_actors], ids=lambda s: f"{s.event_type}-{s.verb}"
)
def test_every_sense_marked_political_by_actors_needs_both_actors(sense) -> None:
    """PETRARCH's sense filter, entry by entry: between a country and a government the sense is coded with
    no violence cue in the sentence; between a company and a country it is not."""
    verb = _verb_form(sense.verb)
    prep = f"{sense.recipient_preps[0]} " if sense.recipient_preps else ""
    assert sense.event_type in {e.event_type for e in _coded_all(f"Israel {verb} {prep}the Syrian government.")}
    assert sense.event_type not in {e.event_type for e in _coded_all(f"The company {verb} {prep}Syria's economy.")}
