"""Name keys, short forms, and country lookup by name, abbreviation, demonym and code."""

import pytest

from pipelines.core.nlp.countries import (
    all_countries,
    countries_in_text,
    country_by_code,
    country_in_text,
    lookup_country,
)
from pipelines.core.nlp.names import compact_key, is_acronym, is_short_form, name_key, name_words


def test_name_keys_fold_accents_case_and_punctuation() -> None:
    assert name_key("Recep Tayyip Erdoğan") == name_key("recep tayyip ERDOGAN") == "recep tayyip erdogan"
    assert name_key("People’s Protection Units") == name_key("Peoples Protection Units") == "peoples protection units"
    assert name_key("Bashar al-Assad") == "bashar al assad"
    assert compact_key("Deir ez-Zor") == compact_key("Deir ezzor") == compact_key("Deir-ez-Zor") == "deirezzor"
    assert name_key("Çavuşoğlu") == name_key("Cavusoglu")


@pytest.mark.parametrize(
    ("short", "full", "expected"),
    [
        ("Erdogan", "Recep Tayyip Erdoğan", True),
        ("Tayyip Erdogan", "Recep Tayyip Erdoğan", True),
        ("Assad", "Bashar al-Assad", True),
        ("al-Assad", "Bashar al-Assad", True),
        ("Vladimir", "Vladimir Putin", False),  # a first name alone is never enough
        ("Hafez Assad", "Bashar al-Assad", False),
        ("Recep Tayyip Erdoğan", "Recep Tayyip Erdoğan", False),
    ],
)
def test_short_forms(short: str, full: str, expected: bool) -> None:
    assert is_short_form(name_words(short), name_words(full)) is expected


def test_acronyms_are_capitals() -> None:
    assert all(is_acronym(t) for t in ("YPG", "U.S.", "PKK", "UAE"))
    assert not any(is_acronym(t) for t in ("Us", "us", "A", "Reuters"))


@pytest.mark.parametrize(
    ("written", "code"),
    [
        ("Russia", "RU"),
        ("Russian", "RU"),
        ("Russians", "RU"),
        ("Russo", "RU"),  # Russo-Turkish
        ("the Russian Federation", "RU"),
        ("Turkish", "TR"),
        ("Türkiye", "TR"),
        ("Syria's", "SY"),
        ("US", "US"),
        ("U.S.", "US"),
        ("USA", "US"),
        ("the United States", "US"),
        ("American", "US"),
        ("Britain", "GB"),
        ("Ivory Coast", "CI"),
        ("Côte d'Ivoire", "CI"),
        ("South Korean", "KR"),
        ("Iraqis", "IQ"),
    ],
)
def test_lookup_country(written: str, code: str) -> None:
    country = lookup_country(written)
    assert country is not None and country.code == code


@pytest.mark.parametrize("written", ["us", "Kurdish", "Congo", "Korean", "Europe", "Moscow", ""])
def test_lookup_country_refuses_what_is_not_one_country(written: str) -> None:
    assert lookup_country(written) is None


def test_country_names_from_packages_and_data_file() -> None:
    codes = {c.code for c in all_countries()}
    assert len(codes) >= 240 and {"TR", "SY", "RU", "US", "XK"} <= codes
    assert country_by_code("TUR") == country_by_code("tr") == lookup_country("Turkey")
    assert lookup_country("Turkey").name == "Turkey" and lookup_country("Netherlands").name == "Netherlands"
    assert country_by_code("ZZ") is None


def test_countries_in_arbitrary_text_for_the_event_coder() -> None:
    assert country_in_text("Turkish forces").code == "TR"
    assert country_in_text("the Russian air force").code == "RU"
    assert country_in_text("Turkish-backed Syrian fighters") is None  # two countries: the caller decides
    assert country_in_text("rebel groups") is None
    text = "South Sudanese and U.S. envoys, Guinea-Bissau"
    found = [(c.code, text[s:e]) for c, s, e in countries_in_text(text)]
    assert found == [("SS", "South Sudanese"), ("US", "U.S."), ("GW", "Guinea-Bissau")]
