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
            assert sense.objects <= set(lexicon.object_classes) | {"any"}
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
        ("verbs.yaml", lambda t: t.replace("{verb: accuse}", "{verb: accuse, mode: aerial}"), "not a mode of ACCUSE"),
        ("verbs.yaml", lambda t: t.replace("objects: [aid]}", "objects: [aids]}", 1), "unknown object class"),
        ("verbs.yaml", lambda t: t.replace("ACCUSE:\n", "ACCUZE:\n"), "unknown PLOVER type"),
        ("nouns.yaml", lambda t: t.replace('recipient: ["on", against]', "recipient: [on, against]", 1), "quote 'on'"),
        ("nouns.yaml", lambda t: t.replace("with: [lift]", "with: [lifted]"), "not in light_verbs"),
        ("actors.yaml", lambda t: t.replace("  REF: [refugee,", "  REF: [police, refugee,"), "listed under"),
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
