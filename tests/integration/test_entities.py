"""Entities through the real asset graph on the seeds: the index analysts read, re-runs, edits, overrides."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.core.nlp.entities import country_entity_id, entity_for_span, mentions_from_rows
from pipelines.core.settings import Settings
from pipelines.core.storage.embedded import EmbeddedWarehouse
from tests.integration.helpers import materialize_all, published_rows, working_rows

INDEX = "select name, type, count(*) from entities join entity_mentions using (entity_id) group by all order by 3 desc"

# Every way the seeds write each of them must be one entity, of this name and type.
ONE_ENTITY = {
    ("Recep Tayyip Erdoğan", "PERSON"): {"Recep Tayyip Erdoğan", "Erdoğan", "Tayyip Erdogan", "Erdogan"},
    ("Vladimir Putin", "PERSON"): {"Vladimir Putin", "Putin"},
    ("Sergei Lavrov", "PERSON"): {"Sergei Lavrov"},
    ("Mevlut Cavusoglu", "PERSON"): {"Mevlut Cavusoglu", "Cavusoglu"},
    ("Bashar al-Assad", "PERSON"): {"Bashar al-Assad", "Assad"},
    ("Russia", "COUNTRY"): {"Russia", "Russian"},
    ("Turkey", "COUNTRY"): {"Turkey", "Turkish"},
    ("Syria", "COUNTRY"): {"Syria", "Syrian"},
    ("United States", "COUNTRY"): {"United States", "US", "USA", "U.S."},
    ("People's Protection Units", "ORG"): {"People's Protection Units", "YPG"},
}
PLACES = {
    "Idlib": "SY",
    "Aleppo": "SY",
    "Deir ez-Zor": "SY",
    "Damascus": "SY",
    "Moscow": "RU",
    "Ankara": "TR",
    "Sochi": "RU",
}
MENTIONS = "SELECT article_id, start_char, surface, label, entity_id FROM entity_mentions ORDER BY 1, 2"
ENTITIES = "SELECT entity_id, name, type, aliases, country_code, geonames_id, lat, lon, geo_status FROM entities"


def _entities_by_surface(settings: Settings) -> dict[str, set[tuple[str, str, str]]]:
    found: dict[str, set[tuple[str, str, str]]] = {}
    sql = "SELECT surface, entity_id, name, type FROM entity_mentions JOIN entities USING (entity_id)"
    for surface, entity_id, name, entity_type in published_rows(settings, sql):
        found.setdefault(surface, set()).add((entity_id, name, entity_type))
    return found


def _last_run(settings: Settings, stage: str) -> tuple[int, int]:
    sql = f"SELECT rows_in, rows_new FROM pipeline_runs WHERE stage = '{stage}' ORDER BY finished_at DESC LIMIT 1"
    return working_rows(settings, sql)[0]


def test_seeds_read_as_a_correct_index(settings: Settings) -> None:
    result = materialize_all(settings)
    assert result.success
    checks = {(c.asset_key.to_user_string(), c.check_name): c.passed for c in result.get_asset_check_evaluations()}
    assert checks[("entity_mentions", "mention_offsets_in_text")] and checks[("entities", "mentions_have_entities")]
    assert all(checks.values()), checks

    by_surface = _entities_by_surface(settings)
    for (name, entity_type), surfaces in ONE_ENTITY.items():
        found = set().union(*(by_surface[s] for s in surfaces))  # (entity_id, name, type) of every spelling
        assert len(found) == 1 and next(iter(found))[1:] == (name, entity_type), (name, found)
    places = {
        name: (country, lat, lon, status)
        for name, country, lat, lon, status in published_rows(
            settings, "SELECT name, country_code, lat, lon, geo_status FROM entities WHERE type = 'PLACE'"
        )
    }
    for name, country in PLACES.items():
        assert places[name][0] == country and places[name][3] == "gazetteer", (name, places.get(name))
        assert places[name][1] is not None and places[name][2] is not None
    index = published_rows(settings, INDEX)
    assert [row[:2] for row in index[:3]] == [("Syria", "COUNTRY"), ("Russia", "COUNTRY"), ("Turkey", "COUNTRY")]
    assert ("Deir ez-Zor", "PLACE", 4) in index  # three spellings in seed 003, one found only as a repeat

    _event_coder_accessors(settings)
    mentions, entities = published_rows(settings, MENTIONS), published_rows(settings, ENTITIES)
    assert materialize_all(settings).success  # nothing new: nothing changes, no article re-read
    assert published_rows(settings, MENTIONS) == mentions
    assert published_rows(settings, ENTITIES) == entities
    assert _last_run(settings, "entity_mentions") == (0, 0)


def _event_coder_accessors(settings: Settings) -> None:
    """What the event coder does: an article's mentions from the warehouse, token spans to entities."""
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
        (article_id, text), *_ = session.con.execute(
            "SELECT article_id, text FROM articles_base WHERE text LIKE '%Russian air force%'"
        ).fetchall()
        mentions = mentions_from_rows(session.query_with("mentions_for_articles", [{"article_id": article_id}]))
        erdogan = session.con.execute("SELECT entity_id FROM entities WHERE name = 'Recep Tayyip Erdoğan'").fetchone()[
            0
        ]
    start = text.index("Russian air force")
    assert entity_for_span(mentions, start, start + len("Russian air force")) == country_entity_id("RU")
    start = text.index("Turkish President Recep")
    assert entity_for_span(mentions, start, text.index(".", start)) == erdogan
    assert all(m.entity_id for m in mentions) and [m.start_char for m in mentions] == sorted(
        m.start_char for m in mentions
    )


def test_edits_versions_and_overrides(settings: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert materialize_all(settings).success
    before = {r[0]: r[1] for r in published_rows(settings, "SELECT name, entity_id FROM entities")}

    # An edited article is re-read alone and its mentions replaced; "Çavuşoğlu", written alone there,
    # joins the one known full name.
    seed = next(settings.seeds_dir.glob("004_*.txt"))
    original = seed.read_text("utf-8")
    links = "SELECT entity_key, surface_key FROM entity_links ORDER BY ALL"
    links_before = working_rows(settings, links)
    seed.write_text(original + "\nForeign Minister Çavuşoğlu said the talks would go on.\n", encoding="utf-8")
    assert materialize_all(settings).success
    assert len(working_rows(settings, links)) > len(links_before)
    assert _last_run(settings, "entity_mentions")[0] == 1
    cavusoglu = published_rows(
        settings,
        "SELECT DISTINCT e.name FROM entity_mentions m JOIN entities e USING (entity_id) WHERE surface = 'Çavuşoğlu'",
    )
    assert cavusoglu == [("Mevlut Cavusoglu",)]
    assert {r[0]: r[1] for r in published_rows(settings, "SELECT name, entity_id FROM entities")}["Syria"] == before[
        "Syria"
    ]
    # Edited back: the pair only that sentence used loses its link.
    seed.write_text(original, encoding="utf-8")
    assert materialize_all(settings).success
    assert working_rows(settings, links) == links_before

    # Overrides: merge two spellings, geocode the merged town; no article is re-read for them.
    overrides = tmp_path / "overrides.yaml"
    overrides.write_text(
        'merge:\n  - ["PLACE: Ain Issa", "PLACE: Ain Isa"]\n'
        'places:\n  - {name: "PLACE: Ain Issa", lat: 36.3856, lon: 38.8603, country: SY}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("NEWS_ENTITY_OVERRIDES", str(overrides))
    assert materialize_all(settings).success
    assert _last_run(settings, "entity_mentions")[0] == 0
    ain_issa = (
        "SELECT name, count(*), any_value(lat), any_value(geo_status) FROM entity_mentions "
        "JOIN entities USING (entity_id) WHERE surface LIKE 'Ain Is%' GROUP BY 1"
    )
    assert published_rows(settings, ain_issa) == [("Ain Issa", 6, 36.3856, "override")]

    # New entity rules re-read every article; the fix survives the recomputation.
    from pipelines.core.stages import entity_mentions as stage
    from pipelines.defs import entities as assets

    for module in (stage, assets):
        monkeypatch.setattr(module, "entity_version", lambda: "test-next-version")
    assert materialize_all(settings).success
    assert _last_run(settings, "entity_mentions")[0] == 5
    assert published_rows(settings, ain_issa) == [("Ain Issa", 6, 36.3856, "override")]
    assert published_rows(settings, "SELECT DISTINCT entity_version FROM article_entities") == [("test-next-version",)]
