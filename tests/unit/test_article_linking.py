"""One article's mentions from its stored parse: trimming, short forms, acronyms, demonyms, repeats,
geocoding in context, and the accessors the event coder uses."""

import pytest

from pipelines.core.nlp.article_linking import link_article
from pipelines.core.nlp.entities import (
    Mention,
    country_entity_id,
    entity_for_span,
    entity_id_for_key,
    mentions_from_rows,
)
from pipelines.core.nlp.parse import deserialize_doc, parse_texts, reading_vocab

TEXTS = {
    "leaders": "Turkish President Recep Tayyip Erdoğan spoke with Russian President Vladimir Putin on Tuesday. "
    "Erdoğan said Turkey supports a political solution.\n\nPutin told the Turkish leader that Russian forces "
    "would stay in Syria. The United States said the US would respond, and U.S. officials in Washington agreed.",
    "acronym": "Clashes continued between Turkish-backed rebels and the Syrian-Kurdish People's Protection Units (YPG) "
    "near Ain Issa.\n\nTurkey considers the YPG a terrorist group. A YPG spokesman denied the claims.",
    "qualified": "Police in Damascus, Maryland, said on Friday that a fire destroyed a barn. The United States Fire "
    "Administration sent investigators.",
    "unqualified": "Police in Damascus said a fire destroyed a barn on Friday. "
    "Firefighters from across Maryland helped.",
    "syria": "Syrian government forces shelled Damascus suburbs on Monday, residents said.",
    "common_word": "Prime Minister Theresa May met voters in Leeds on Monday. May said the vote would be held in "
    "May. Will May resign? Critics of May say she will.",
    "translated": "Syrian troops advanced on the city of Deir ez-Zor.\n\nIn Deir ezzor forces supported by Russia came "
    "close. Other units moved to Deir-ez-Zor.",
}


@pytest.fixture(scope="module")
def linked() -> dict[str, tuple[str, list[Mention]]]:
    vocab = reading_vocab()
    out = {}
    for parsed in parse_texts(list(TEXTS.items()), processes=1):
        doc = deserialize_doc(vocab, parsed.docbin)
        out[parsed.key] = (doc, link_article(doc))
    return out


def keys(mentions: list[Mention]) -> dict[str, str]:
    return {m.surface: m.entity_key for m in mentions}


def test_offsets_and_sentences_point_into_the_article(linked) -> None:
    for key, (doc, mentions) in linked.items():
        sentences = list(doc.sents)
        assert mentions, key
        for m in mentions:
            assert TEXTS[key][m.start_char : m.end_char] == m.surface
            sentence = sentences[m.sentence_idx]
            assert sentence.start_char <= m.start_char and m.end_char <= sentence.end_char


def test_short_names_demonyms_and_country_variants(linked) -> None:
    _, mentions = linked["leaders"]
    got = keys(mentions)
    assert got["Recep Tayyip Erdoğan"] == got["Erdoğan"] == "PERSON:recep tayyip erdogan"
    assert got["Vladimir Putin"] == got["Putin"] == "PERSON:vladimir putin"
    assert got["Turkish"] == got["Turkey"] == "COUNTRY:TR"
    assert got["United States"] == got["US"] == got["U.S."] == "COUNTRY:US"  # "The" trimmed
    russian = next(m for m in mentions if m.surface == "Russian")
    assert (russian.label, russian.entity_type, russian.country_code) == ("NORP", "COUNTRY", "RU")
    by_surface = {m.surface: m for m in mentions}
    assert by_surface["Recep Tayyip Erdoğan"].country_code == "TR"  # "Turkish President …"
    assert by_surface["Vladimir Putin"].country_code == "RU"
    assert by_surface["Erdoğan"].surface_key == "PERSON:erdogan"  # what the cross-article rules see


def test_a_defined_acronym_joins_its_long_form(linked) -> None:
    _, mentions = linked["acronym"]
    ypg = [m for m in mentions if m.entity_key == "ORG:peoples protection units"]
    assert sorted(m.surface for m in ypg) == ["People's Protection Units", "YPG", "YPG", "YPG"]
    assert {m.source for m in ypg} == {"acronym", "ner"}
    assert keys(mentions)["Syrian"] == "COUNTRY:SY"  # "Syrian-Kurdish" stays out of the long form
    assert keys(mentions)["Ain Issa"] == "PLACE:ain issa"  # not in the gazetteer: a place without a guess


def test_places_are_settled_by_context_or_left_open(linked) -> None:
    assert keys(linked["syria"][1])["Damascus"] == "PLACE:gn:170654"  # the Syrian capital
    qualified = {m.surface: m for m in linked["qualified"][1]}
    assert qualified["Damascus"].entity_key == "PLACE:gn:4352728"  # Damascus, Maryland
    assert qualified["Maryland"].country_code == "US"
    # Next to Maryland but not qualified by it: neither capital nor town is clearly meant.
    assert keys(linked["unqualified"][1])["Damascus"] == "PLACE:damascus"


def test_repeats_the_model_missed_are_found(linked) -> None:
    _, mentions = linked["translated"]
    deir = [m for m in mentions if m.entity_key == "PLACE:gn:170794"]
    assert [m.surface for m in deir] == ["Deir ez-Zor", "Deir ezzor", "Deir-ez-Zor"]
    assert "Deir" not in keys(mentions)  # the model's partial "Deir" gave way to the longer repeat


def test_repeats_never_take_dates_or_verbs_for_a_name(linked) -> None:
    _, mentions = linked["common_word"]
    assert [m.surface for m in mentions if m.entity_key == "PERSON:theresa may"] == ["Theresa May"]


def test_entity_for_span_picks_the_mention_covering_most() -> None:
    text = "Russian Foreign Minister Sergei Lavrov said Turkish forces would leave."
    rows = [
        {"surface": "Russian", "start_char": 0, "end_char": 7, "entity_id": country_entity_id("RU")},
        {"surface": "Sergei Lavrov", "start_char": 25, "end_char": 38, "entity_id": "lavrov"},
        {"surface": "Turkish", "start_char": 44, "end_char": 51, "entity_id": country_entity_id("TR")},
    ]
    filler = {"label": "X", "sentence_idx": 0, "entity_type": "X", "entity_key": "k", "surface_key": "k"}
    mentions = mentions_from_rows([r | filler | {"country_code": None, "source": "ner"} for r in reversed(rows)])
    assert [m.surface for m in mentions] == ["Russian", "Sergei Lavrov", "Turkish"]
    assert entity_for_span(mentions, 0, text.index(" said")) == "lavrov"
    assert entity_for_span(mentions, text.index("Turkish"), text.index(" would")) == country_entity_id("TR")
    assert entity_for_span(mentions, text.index("said"), text.index("said") + 4) is None
    assert country_entity_id("tr") == entity_id_for_key("COUNTRY:TR")
