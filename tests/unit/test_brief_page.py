"""The brief page from hand-made rows: charts, escaping, the version it declares, a bounded size."""

from __future__ import annotations

import json
import re
from datetime import datetime
from pathlib import Path

import pytest

from pipelines.core.brief import charts
from pipelines.core.brief import page as page_module
from pipelines.core.brief.page import BriefData, page_version, render_page

HOSTILE = "</script><script>alert(1)</script>"


def _data(**overrides: object) -> BriefData:
    fields: dict[str, object] = {
        "totals": {"data_version": 7, "documents": 3, "articles": 3, "reports": 2, "stories": 1, "events": 4},
        "days": 60,
        "events_per_day": [
            {"day": "2020-12-27", "event_type": "MOBILIZE", "quad_class": "material_conflict", "events": 1},
            {"day": "2020-12-29", "event_type": "ACCUSE", "quad_class": "verbal_conflict", "events": 3},
        ],
        "participants": [
            {"role": "actor", "name": "Russia", "events": 3},
            {"role": "recipient", "name": "Turkey", "events": 2},
        ],
        "entities": [{"name": "Syria", "type": "COUNTRY", "reports": 2}],
        "stories": [
            {"title": HOSTILE, "articles": 2, "events": 4, "first_published_at": None, "sources": "Reuters; AFP"}
        ],
        "places": [{"place": "Aleppo", "lat": 36.2, "lon": 37.16, "events": 2, "types": "ASSAULT"}],
    }
    fields.update(overrides)
    return BriefData(**fields)  # type: ignore[arg-type]


def _specs(page: str) -> dict[str, dict]:
    return {m[0]: json.loads(m[1]) for m in re.findall(r"vegaEmbed\('#([a-z-]+)', (\{.*\}), \{renderer", page)}


def test_page_embeds_every_chart_and_its_javascript() -> None:
    page = render_page(_data(), datetime(2026, 1, 2, 3, 4), "warehouse/news.duckdb")
    specs = _specs(page)
    assert set(specs) == {"events-per-day", "participants", "entities", "map"}
    assert "window.vegaEmbed=" in page and "<script src" not in page
    assert all("url" not in json.dumps(spec) for spec in specs.values())  # data inline, nothing fetched
    assert page_version(page[:4096]) == _data().version()
    assert 500_000 < len(page) < 2_000_000
    assert page.count("over the last 60 days") == 4  # each chart says which reports it counts


def test_the_javascript_bundle_is_kept_between_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = render_page(_data(), datetime(2026, 1, 2), "x", bundle_cache=tmp_path)
    (kept,) = tmp_path.glob("vega-bundle-*.js")
    monkeypatch.setattr(page_module.vl_convert, "javascript_bundle", _no_bundling)
    page_module._bundled.cache_clear()  # as in a new process
    assert render_page(_data(), datetime(2026, 1, 2), "x", bundle_cache=tmp_path) == first
    assert kept.read_text(encoding="utf-8") in first


def _no_bundling(**_: object) -> str:
    raise AssertionError("the bundle should have come from the cache folder")


def test_article_text_cannot_inject_markup() -> None:
    page = render_page(_data(), datetime(2026, 1, 2), "x")
    assert HOSTILE not in page
    assert "&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_empty_warehouse_shows_notes_not_empty_charts() -> None:
    empty = _data(events_per_day=[], participants=[], entities=[], stories=[], places=[])
    page = render_page(empty, datetime(2026, 1, 2), "x")
    assert set(_specs(page)) == {"map"}  # the world outline alone
    assert page.count("Nothing to show yet.") == 3 and "No stories yet." in page


def test_map_zooms_to_the_events() -> None:
    box = charts.event_map([{"place": "Aleppo", "lat": 36.2, "lon": 37.16, "events": 2, "types": "ASSAULT"}])
    (west, south), (east, north) = box["projection"]["fit"]["features"][0]["geometry"]["coordinates"]
    assert west < 37.16 < east and south < 36.2 < north
    assert east - west == charts.MIN_SPAN_LON and north - south == charts.MIN_SPAN_LAT


def _layers(spec: dict) -> list[dict]:
    return spec.get("hconcat") or [spec]


def test_events_are_on_a_true_time_axis_and_undated_ones_apart() -> None:
    rows = [
        {"day": "2020-12-29", "event_type": "ACCUSE", "quad_class": "verbal_conflict", "events": 3},
        {"day": "2021-01-10", "event_type": "ASSAULT", "quad_class": "material_conflict", "events": 1},
        {"day": None, "event_type": "ASSAULT", "quad_class": "material_conflict", "events": 5},
    ]
    dated, undated = _layers(charts.events_per_day(rows))
    assert dated["encoding"]["x"]["type"] == "temporal" and dated["encoding"]["x"]["timeUnit"] == "utcyearmonthdate"
    assert [r["day"] for r in dated["data"]["values"]] == ["2020-12-29", "2021-01-10"]  # no ingest day among them
    assert undated["title"] == "no date" and [r["events"] for r in undated["data"]["values"]] == [5]
    years = [dict(rows[0], day="2018-03-01"), rows[0]]
    assert _layers(charts.events_per_day(years))[0]["encoding"]["x"]["timeUnit"] == "utcyearmonth"
    assert charts.time_unit(["2020-01-01", "2020-06-30"]) == ("utcyearweek", "week")
    assert len(_layers(charts.events_per_day(rows[:2]))) == 1  # nothing undated: no empty chart beside


def test_header_times_are_for_people_and_cards_say_what_they_count() -> None:
    totals = {
        "data_version": 7,
        "documents": 5,
        "articles": 5,
        "reports": 5,
        "stories": 4,
        "coded_events": 72,
        "events": 70,
        "last_article_at": datetime(2026, 12, 6, 16, 10, 13, 127825),
    }
    page = render_page(_data(totals=totals), datetime(2026, 12, 6, 16, 39, 5, 1234), "warehouse/news.duckdb")
    assert "generated 6 Dec 2026, 16:39 UTC" in page and "taken in 6 Dec 2026, 16:10 UTC" in page
    assert ".127825" not in page and "16:10:13" not in page
    cards = dict(re.findall(r"<b>([\d,]+)</b><span>([^<]+)</span>", page)[i][::-1] for i in range(8))
    assert cards["coded events"] == "72" and cards["countable events"] == "70"  # as make run prints, then counted
    assert page_module.when(datetime(2020, 12, 29)) == "29 Dec 2020"


def test_stories_name_outlets_never_files() -> None:
    stories = [
        {
            "title": "A",
            "articles": 3,
            "events": 4,
            "first_published_at": datetime(2020, 12, 29),
            "sources": "Reuters",
            "unnamed": 2,
        },
        {"title": "B", "articles": 1, "events": 0, "first_published_at": None, "sources": None, "unnamed": 1},
    ]
    page = render_page(_data(stories=stories), datetime(2026, 1, 2), "x")
    assert "<td>29 Dec 2020</td><td class=src>Reuters; 2 articles naming no outlet</td>" in page
    assert "<td class=src>1 article naming no outlet</td>" in page


def test_place_names_never_overlap_each_other_or_a_circle() -> None:
    from pipelines.core.brief.labels import CHAR_WIDTH, LINE_HEIGHT, Box, MapFrame, place_labels

    # Places of northern Syria, a few pixels apart on a map of the region, and one far away.
    places = [
        {"place": "Idlib", "lat": 35.93, "lon": 36.63, "events": 9},
        {"place": "Aleppo", "lat": 36.20, "lon": 37.16, "events": 6},
        {"place": "Saraqib", "lat": 35.86, "lon": 36.80, "events": 2},
        {"place": "Maarat al-Numan", "lat": 35.64, "lon": 36.67, "events": 2},
        {"place": "Ariha", "lat": 35.81, "lon": 36.61, "events": 1},
        {"place": "Ankara", "lat": 39.93, "lon": 32.86, "events": 1},
    ]
    west, east, south, north = charts._bounds(places)
    frame = MapFrame(west, east, south, north, charts.WIDTH, charts.MAP_HEIGHT)
    labels = place_labels(places, frame, charts.CIRCLE_AREA)
    named = [label["place"] for label in labels]
    assert named[:2] == ["Idlib", "Aleppo"] and "Ankara" in named  # the most events first; far ones too
    assert len(named) < len(places)  # some are too close to name: they are in the tooltips
    boxes = []
    for label in labels:
        x, y = frame.pixel(label["lon"], label["lat"])
        width = len(label["place"]) * CHAR_WIDTH
        boxes.append(Box(x - width / 2, y - LINE_HEIGHT / 2, x + width / 2, y + LINE_HEIGHT / 2))
    for i, box in enumerate(boxes):
        assert box.inside(frame.width, frame.height)
        assert not any(box.overlaps(other) for other in boxes[i + 1 :]), labels
        for place in places:  # no label covers the centre of a circle
            px, py = frame.pixel(place["lon"], place["lat"])
            assert not (box.left < px < box.right and box.top < py < box.bottom), (label, place)
    spec = charts.event_map(places)
    texts = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "text")
    assert [r["place"] for r in texts["data"]["values"]] == named
