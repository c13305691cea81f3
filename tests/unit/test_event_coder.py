"""The event coder on single sentences, one rule class per test (parsed by the pipeline's own model)."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.core.events.actors import EntityRef
from pipelines.core.events.coder import CODER_VERSION, CodedEvent, code_events
from pipelines.core.nlp.model import load_pipeline


def events(text: str, published: date | None = None, **kwargs) -> list[CodedEvent]:
    return code_events(load_pipeline()(text), published, **kwargs)


def only(text: str, published: date | None = None, **kwargs) -> CodedEvent:
    found = events(text, published, **kwargs)
    assert len(found) == 1, [(e.event_type, e.trigger) for e in found]
    return found[0]


def names(participants) -> list[str]:
    return [p.text for p in participants]


def test_plain_verb_gives_type_actor_recipient_and_quad_class() -> None:
    event = only("The United States accused Russia of air strikes on its allies.")
    assert (event.event_type, event.quad_class) == ("ACCUSE", "verbal_conflict")
    assert names(event.actors) == ["The United States"] and names(event.recipients) == ["Russia"]
    assert not (event.negated or event.hypothetical or event.future or event.reported)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Russia sent military police to the area.", ("MOBILIZE", "police")),
        ("Russia sent additional troops to the border.", ("MOBILIZE", "troops")),
        ("Japan sent food aid to the refugees.", ("AID", "humanitarian")),
    ],
)
def test_object_conditioned_verb_senses(text: str, expected: tuple[str, str]) -> None:
    event = only(text)
    assert (event.event_type, event.mode) == expected


def test_verb_whose_object_matches_no_sense_is_no_event() -> None:
    assert events("The minister sent a letter to the newspaper.") == []


def test_complement_verb_codes_one_event_with_the_content_as_mode_and_recipient() -> None:
    event = only("Erdogan threatened to drive back the Syrian forces.")
    assert (event.event_type, event.mode) == ("THREATEN", "violence")
    assert names(event.recipients) == ["the Syrian forces"]


def test_request_addressee_is_the_subject_of_the_requested_action() -> None:
    event = only("Turkey expects Russia to stop the attacks immediately.")
    assert event.event_type == "REQUEST"
    assert names(event.actors) == ["Turkey"] and names(event.recipients) == ["Russia"]


def test_light_verb_with_event_noun_and_place() -> None:
    event = only("The Russian air force carried out airstrikes in Aleppo.")
    assert (event.event_type, event.mode, event.trigger) == ("ASSAULT", "aerial", "carried out airstrikes")
    assert event.actors[0].sector == "MIL"
    assert event.location is not None and event.location.text == "Aleppo"


def test_event_noun_recipient_preposition() -> None:
    event = only("Washington imposed sanctions against 18 Syrian individuals.")
    assert event.event_type == "SANCTION"
    assert event.actors[0].country_code == "US" and event.actors[0].sector == "GOV"  # metonym rule
    assert names(event.recipients) == ["18 Syrian individuals"]


def test_passive_event_noun_takes_its_nationality_as_actor() -> None:
    event = only("Nine more Russian strikes were carried out in Idlib on Saturday.")
    assert event.event_type == "ASSAULT" and names(event.actors) == ["Russian"]


def test_participants_of_talks_are_all_actors_and_future_is_flagged() -> None:
    event = only("On Tuesday, Russia will host talks between Sergei Lavrov and Mevlut Cavusoglu.")
    assert event.event_type == "CONSULT" and event.future
    assert {"Sergei Lavrov", "Mevlut Cavusoglu"} <= set(names(event.actors))


def test_symmetric_verb_makes_both_sides_actors() -> None:
    event = only("Syrian rebels clashed with Turkish troops near the border.")
    assert event.event_type == "ASSAULT"
    assert names(event.actors) == ["Syrian rebels", "Turkish troops"] and event.recipients == ()


def test_pronoun_in_reported_speech_is_the_speaker() -> None:
    event = only("Russia said it has deployed additional military police to the area.")
    assert event.event_type == "MOBILIZE" and event.reported
    assert names(event.actors) == ["Russia"] and event.actors[0].resolved_from == "it"


def test_event_noun_as_subject_hands_the_actor_role_to_its_by_phrase() -> None:
    event = only("Shelling by Syrian forces killed eight Turkish soldiers.")
    assert names(event.actors) == ["Syrian forces"] and names(event.recipients) == ["eight Turkish soldiers"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Four people were killed in the explosion.", ("ASSAULT", "explosives")),
        ("Grenades were hurled at the police station in Kandahar.", ("ASSAULT", "explosives")),
        ("Civilians killed in bombings in the north.", ("ASSAULT", "explosives")),
        ("An explosion hit the market in Kabul on Monday.", ("ASSAULT", "explosives")),
        ("Clashes erupted in the capital.", ("ASSAULT", None)),
        ("Three people died in a suicide bombing.", ("ASSAULT", "suicide-attack")),
        ("There were protests against the new law in Lagos.", ("PROTEST", "demo")),
        ("The army announced the deaths of 15 militants in the fighting.", ("ASSAULT", None)),
    ],
)
def test_events_without_a_named_actor_are_coded_with_no_actor(text: str, expected: tuple) -> None:
    event = next(e for e in events(text) if e.event_type == expected[0])
    assert (event.event_type, event.mode) == expected
    assert event.actors == () and event.actor_source == "none"


def test_generic_sector_actors_are_kept_as_sectors() -> None:
    gunmen = only("Gunmen attacked a police checkpoint.")
    assert (gunmen.actor_source, gunmen.actors[0].sector) == ("sector", "UAF")
    bomber = only("A suicide bomber killed six soldiers.")
    assert (bomber.mode, bomber.actor_source) == ("suicide-attack", "sector")


def test_an_event_noun_carries_its_own_participants() -> None:
    event = only("Clashes between police and protesters erupted in Lagos.")
    assert names(event.actors) == ["police", "protesters"] and event.actor_source == "sector"
    shelled = only("Four children were killed in Israeli tank shelling.")
    assert (shelled.mode, names(shelled.actors)) == ("heavy-weapons", ["Israeli"])


def test_an_active_verb_needs_a_subject_that_can_act() -> None:
    assert events("The storm killed four people.") == []
    assert only("A car bomb killed four people.").actor_source == "none"


def test_background_events_without_an_actor_are_not_coded() -> None:
    """In a relative clause or the content of another event, an actorless event is background."""
    assert [e.event_type for e in events("Serbia lifted the curfew imposed after the coup.")] == ["CONCEDE"]
    assert [e.event_type for e in events("The UN rejected a call for troops to be deployed.")] == ["REJECT"]


def test_announced_conflict_is_a_threat() -> None:
    assert (only("Iran will attack the convoy.").event_type, only("Iran will attack the convoy.").mode) == (
        "THREATEN",
        "violence",
    )
    assert only("The farmers said they would boycott the talks.").event_type == "THREATEN"
    assert only("Sharon vowed to expel the diplomats.").event_type == "THREATEN"


def test_a_purpose_is_not_an_event_of_its_own() -> None:
    found = events("Students staged a hunger strike to demand the minister's resignation.")
    assert [(e.event_type, e.mode) for e in found] == [("PROTEST", "strike-hun")]


def test_pushing_for_an_acceptance_is_a_request_not_an_agreement() -> None:
    assert [e.event_type for e in events("Russia pushed for Turkey to accept its proposal.")] == ["REQUEST"]


def test_generic_phrases_resolve_to_the_entities_named_before() -> None:
    text = "Putin and Erdogan met in Moscow. The two leaders agreed to reduce tensions."
    agreed = next(e for e in events(text) if e.event_type == "AGREE")
    assert names(agreed.actors) == ["Erdogan", "Putin"] and agreed.actor_source == "coreference"
    assert agreed.actors[0].resolved_from == "The two leaders"
    text = "The Russian defence ministry spoke first. The ministry accused Washington of lying."
    accused = next(e for e in events(text) if e.event_type == "ACCUSE")
    assert accused.actors[0].text == "The Russian defence ministry" and accused.actor_source == "coreference"


def test_a_generic_phrase_with_nothing_to_refer_to_stays_a_sector() -> None:
    event = only("The ministry accused Washington of lying.")
    assert (event.actor_source, event.actors[0].sector, event.actors[0].entity) == ("sector", "GOV", None)


@pytest.mark.parametrize(
    "text",
    [
        "United attacked down the left and Rooney shot wide before half-time. The striker beat the keeper "
        "in the second half and the home side clashed with Chelsea's defence in a tense match.",
        "The film's star praised the director. Critics attacked the album, and the band rejected the "
        "award at the ceremony after the premiere of the film.",
    ],
)
def test_sport_and_entertainment_writing_codes_no_events_without_a_political_participant(text: str) -> None:
    assert events(text) == []


def test_in_sport_writing_an_event_with_police_or_government_is_kept() -> None:
    text = "The striker missed the match and the club's season is over. Police arrested the striker after the game."
    assert [e.event_type for e in events(text)] == ["COERCE"]


@pytest.mark.parametrize(
    ("text", "flag"),
    [
        ("The army did not attack the village.", "negated"),
        ("If Turkey attacks the town, Russia will respond.", "hypothetical"),
        ("Lavrov will meet Cavusoglu in Sochi.", "future"),
        ("According to Reuters, the militants attacked the convoy.", "reported"),
    ],
)
def test_flags(text: str, flag: str) -> None:
    assert getattr(events(text)[0], flag)


def test_dates_resolve_against_publication_only_when_the_text_fixes_them() -> None:
    published = date(2020, 12, 29)  # a Tuesday
    meet = only("Lavrov will meet Cavusoglu on Tuesday.", published)
    assert (meet.event_date, meet.date_text) == (date(2020, 12, 29), "Tuesday")
    reported = only("Moscow said late Sunday that it had deployed military police units.", published)
    assert reported.event_date == date(2020, 12, 27)  # the report's date bounds the reported action
    assert only("Lavrov will meet Cavusoglu on Tuesday.").event_date is None  # no publication date
    assert only("Lavrov met Cavusoglu last week.", published).event_date is None  # not a day


def test_entity_lookup_links_participants_and_places() -> None:
    text = "Russia deployed troops to Aleppo."
    refs = {
        (0, 6): EntityRef("ent-ru", "Russia", "COUNTRY", "RU"),
        (26, 32): EntityRef("ent-alp", "Aleppo", "PLACE", "SY", 36.2, 37.16),
    }

    def lookup(start: int, end: int) -> EntityRef | None:
        return next((ref for (s, e), ref in refs.items() if s < end and start < e), None)

    event = only(text, lookup=lookup)
    assert (event.actors[0].entity, event.actors[0].country_code) == (refs[(0, 6)], "RU")
    assert event.location is not None and event.location.entity == refs[(26, 32)]


def test_coder_version_includes_the_rules_hash() -> None:
    code, rules = CODER_VERSION.split(".")
    assert code and len(rules) == 8


def test_announced_cooperation_is_an_intention_but_a_planned_meeting_stays_consult() -> None:
    freed = only("Israel will free 150 Palestinian prisoners.")
    assert (freed.event_type, freed.future, freed.mode) == ("AGREE", True, None)
    assert only("Israel freed 150 Palestinian prisoners.").event_type == "RETREAT"
    assert only("Obama will meet Putin in Zurich.").event_type == "CONSULT"


def test_would_in_reported_speech_is_future_not_hypothetical() -> None:
    event = only("Israel announced it would free 150 Palestinian prisoners.")
    assert (event.event_type, event.future, event.hypothetical, event.reported) == ("AGREE", True, False, True)
    assert only("Israel would free the prisoners if the talks succeed.").hypothetical


def test_request_verbs_need_the_requested_action() -> None:
    assert only("The Kremlin asked Turkey to stop the attacks.").event_type == "REQUEST"
    assert events("The minister was asked about the attacks.") == []
    assert events("The Kremlin wants a deal.") == []


def test_a_particle_verb_is_not_its_bare_verb() -> None:
    assert events("The country signed up for the programme.") == []
    assert only("Ukraine signed the treaty.").event_type == "SUPPORT"


def test_a_symmetric_action_needs_both_sides() -> None:
    assert events("The rebels fought on for weeks.") == []
    assert len(only("The rebels fought government troops for weeks.").actors) == 2
