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
