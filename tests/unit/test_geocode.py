"""Choosing a place from gazetteer candidates with the article's countries as context."""

from pipelines.core.nlp.gazetteer import Candidate, Place, place_by_id, place_candidates
from pipelines.core.nlp.geocode import AMBIGUOUS, GAZETTEER, NOT_FOUND, REGION, Qualifier, choose_place

DAMASCUS_SY = Place(170654, "Damascus", "SY", 33.5, 36.3, 1_569_394, "13")
DAMASCUS_US = Place(4352728, "Damascus", "US", 39.3, -77.2, 15_257, "MD")
SMALL_A = Place(1, "Smallville", "AA", 0.0, 0.0, 20_000, "01")
SMALL_B = Place(2, "Smallville", "BB", 0.0, 0.0, 30_000, "01")


def test_context_settles_a_name_several_cities_share() -> None:
    both = [Candidate(DAMASCUS_SY, True), Candidate(DAMASCUS_US, True)]
    assert choose_place(both, {"SY": 3, "RU": 2}).place == DAMASCUS_SY
    assert choose_place(both, {"US": 4}).status == AMBIGUOUS  # context for the small one vs 100x population
    assert choose_place(both, {}).place == DAMASCUS_SY  # a capital a hundred times larger, no context needed


def test_no_clear_winner_means_no_coordinates() -> None:
    assert choose_place([Candidate(SMALL_A, True), Candidate(SMALL_B, True)], {}).status == AMBIGUOUS
    assert choose_place([Candidate(SMALL_A, True), Candidate(SMALL_B, True)], {"AA": 1, "BB": 1}).status == AMBIGUOUS
    # One small town matching, in a country the article never names: a guess, so no.
    assert choose_place([Candidate(SMALL_A, True)], {"SY": 5}).status == AMBIGUOUS
    assert choose_place([Candidate(SMALL_A, True)], {"AA": 1}).status == GAZETTEER
    assert choose_place([], {"SY": 5}).status == NOT_FOUND


def test_alternate_names_count_less_than_main_names() -> None:
    alt = Place(3, "Big City", "CC", 0.0, 0.0, 300_000, "01")
    main = Place(4, "Town", "DD", 0.0, 0.0, 200_000, "01")
    assert choose_place([Candidate(alt, False), Candidate(main, True)], {}).status == AMBIGUOUS
    assert choose_place([Candidate(alt, False), Candidate(main, True)], {"DD": 1}).place == main


def test_a_written_qualifier_restricts_the_candidates() -> None:
    both = [Candidate(DAMASCUS_SY, True), Candidate(DAMASCUS_US, True)]
    assert choose_place(both, {"SY": 3}, Qualifier("US", "MD")).place == DAMASCUS_US  # "Damascus, Maryland"
    assert choose_place(both, {}, Qualifier("SY")).place == DAMASCUS_SY  # "Damascus, Syria"
    assert choose_place(both, {}, Qualifier("US", "TX")).status == NOT_FOUND  # no Damascus in Texas


def test_us_states_are_regions_without_a_point() -> None:
    maryland = choose_place(place_candidates("Maryland"), {})  # not the town "Maryland City"
    assert maryland.status == REGION and maryland.place.is_region
    assert (maryland.place.country_code, maryland.place.admin1, maryland.place.lat) == ("US", "MD", None)
    washington = choose_place(place_candidates("Washington"), {"US": 2})
    assert (washington.place.name, washington.place.admin1) == ("Washington", "DC")  # the capital, not the state
    assert choose_place(place_candidates("New York"), {}).place.name == "New York City"


def test_gazetteer_finds_spelling_variants_offline() -> None:
    assert {c.place.country_code for c in place_candidates("Deir ezzor")} == {"SY"}
    assert [c.place.name for c in place_candidates("Raqqa")] == ["Ar Raqqah"]  # an alternate name
    assert place_candidates("Ain Issa") == []  # a small town: not in cities15000
    assert place_by_id(323786).name == "Ankara"
