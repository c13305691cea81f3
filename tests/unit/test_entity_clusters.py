"""Cross-article linking of keys into entities, and the overrides file that corrects it."""

import random

import pytest

from pipelines.core.nlp.entities import entity_id_for_key
from pipelines.core.nlp.entity_clusters import KeyUse, link_keys
from pipelines.core.nlp.overrides import (
    DEFAULT_OVERRIDES_FILE,
    Overrides,
    OverridesError,
    load_overrides,
    parse_overrides,
)


def use(key: str, surface: str, surface_key: str | None = None, country: str | None = None, n: int = 1) -> KeyUse:
    return KeyUse(key, surface_key or key, surface, country, n)


# Three articles: one with the full name, one with "Tayyip Erdogan … Erdogan", one with "Erdogan" only;
# one defines YPG, another only writes it; places settled and not.
USES = [
    use("PERSON:recep tayyip erdogan", "Recep Tayyip Erdoğan", country="TR"),
    use("PERSON:recep tayyip erdogan", "Erdoğan", "PERSON:erdogan", n=3),
    use("PERSON:tayyip erdogan", "Tayyip Erdogan", country="TR", n=2),
    use("PERSON:tayyip erdogan", "Erdogan", "PERSON:erdogan", n=2),
    use("PERSON:erdogan", "Erdogan"),
    use("ORG:peoples protection units", "People's Protection Units"),
    use("ORG:peoples protection units", "YPG", "ORG:ypg", n=3),
    use("ORG:ypg", "YPG"),
    use("COUNTRY:TR", "Turkish", "COUNTRY:turkish", "TR", n=5),
    use("COUNTRY:TR", "Turkey", "COUNTRY:turkey", "TR", n=2),
    use("PLACE:gn:170654", "Damascus", "PLACE:damascus", "SY"),
    use("PLACE:damascus", "Damascus"),
    use("PLACE:ain issa", "Ain Issa"),
]


def test_short_forms_and_aliases_join_across_articles() -> None:
    links, rows = link_keys(USES, Overrides())
    entity_of = {(link.entity_key, link.surface_key): link.entity_id for link in links}
    erdogan = entity_id_for_key("PERSON:recep tayyip erdogan")
    assert {entity_of[(u.entity_key, u.surface_key)] for u in USES if "erdogan" in u.entity_key} == {erdogan}
    ypg = entity_id_for_key("ORG:peoples protection units")
    assert entity_of[("ORG:ypg", "ORG:ypg")] == ypg
    by_id = {r.entity_id: r for r in rows}
    assert by_id[erdogan].name == "Recep Tayyip Erdoğan" and by_id[erdogan].country_code == "TR"
    assert by_id[erdogan].aliases == ("Erdogan", "Erdoğan", "Tayyip Erdogan")  # most mentions first, then A-Z
    assert by_id[ypg].name == "People's Protection Units" and by_id[ypg].aliases == ("YPG",)
    turkey = by_id[entity_id_for_key("COUNTRY:TR")]
    assert (turkey.name, turkey.type, turkey.country_code, turkey.geonames_id) == ("Turkey", "COUNTRY", "TR", 298795)


def test_places_are_never_guessed_into_each_other() -> None:
    _, rows = link_keys(USES, Overrides())
    places = {r.canonical_key: r for r in rows if r.type == "PLACE"}
    settled = places["PLACE:gn:170654"]
    assert (settled.name, settled.country_code, settled.geo_status) == ("Damascus", "SY", "gazetteer")
    assert round(settled.lat, 1) == 33.5 and round(settled.lon, 1) == 36.3
    unsettled = places["PLACE:damascus"]  # an article that could not tell which Damascus
    assert (unsettled.lat, unsettled.geo_status) == (None, "ambiguous")
    assert places["PLACE:ain issa"].geo_status == "not_found"


def test_a_surname_shared_by_two_known_people_joins_neither() -> None:
    uses = [
        use("PERSON:bashar al assad", "Bashar al-Assad"),
        use("PERSON:hafez al assad", "Hafez al-Assad"),
        use("PERSON:assad", "Assad"),
    ]
    links, _ = link_keys(uses, Overrides())
    assert len({link.entity_id for link in links}) == 3


def test_result_does_not_depend_on_arrival_order() -> None:
    expected = link_keys(USES, Overrides())
    shuffled = USES[:]
    random.Random(7).shuffle(shuffled)
    assert link_keys(shuffled, Overrides()) == expected


def test_overrides_merge_split_and_geocode() -> None:
    overrides = parse_overrides(
        """
merge:
  - ["ORG: YPG", "ORG: People's Protection Units"]
split:
  - {name: "PERSON: Erdogan", from: "PERSON: Recep Tayyip Erdoğan"}
places:
  - {name: "PLACE: Ain Issa", lat: 36.3856, lon: 38.8603, country: SY}
  - {name: "PLACE: Damascus", geonames_id: 170654}
"""
    )
    links, rows = link_keys(USES, overrides)
    by_id = {r.entity_id: r for r in rows}
    entity_of = {(link.entity_key, link.surface_key): by_id[link.entity_id] for link in links}
    # merge: the first entry names and identifies the entity
    ypg = entity_of[("ORG:peoples protection units", "ORG:peoples protection units")]
    assert (ypg.name, ypg.entity_id) == ("YPG", entity_id_for_key("ORG:ypg"))
    # split: every "Erdogan" written alone is its own entity; the longer names stay together
    alone = entity_of[("PERSON:recep tayyip erdogan", "PERSON:erdogan")]
    assert alone.canonical_key == "PERSON:erdogan" and alone is entity_of[("PERSON:erdogan", "PERSON:erdogan")]
    assert entity_of[("PERSON:tayyip erdogan", "PERSON:tayyip erdogan")].canonical_key == "PERSON:recep tayyip erdogan"
    # places: coordinates for a town the gazetteer lacks; an unsettled name pinned to a gazetteer city
    ain_issa = entity_of[("PLACE:ain issa", "PLACE:ain issa")]
    assert (ain_issa.geo_status, ain_issa.country_code, ain_issa.lat) == ("override", "SY", 36.3856)
    pinned = entity_of[("PLACE:damascus", "PLACE:damascus")]
    assert pinned is entity_of[("PLACE:gn:170654", "PLACE:damascus")] and pinned.geo_status == "override"


def test_overrides_file_errors_name_the_entry() -> None:
    with pytest.raises(OverridesError, match="TYPE: name"):
        parse_overrides('merge:\n  - ["Islamic State", "ORG: ISIS"]')
    with pytest.raises(OverridesError, match="no country"):
        parse_overrides('merge:\n  - ["COUNTRY: Atlantis", "ORG: X"]')
    with pytest.raises(OverridesError, match="lat, lon"):
        parse_overrides('places:\n  - {name: "PLACE: Ain Issa", lat: 36.4}')
    with pytest.raises(OverridesError, match="only the sections"):
        parse_overrides("rename: {}")
    unquoted = parse_overrides("split:\n  - PERSON: Johnson")  # YAML reads this as a mapping
    assert unquoted.splits[0].key == "PERSON:johnson"


def test_shipped_overrides_file_is_valid() -> None:
    shipped = load_overrides(DEFAULT_OVERRIDES_FILE)
    assert shipped.merges and shipped.fingerprint != Overrides().fingerprint
