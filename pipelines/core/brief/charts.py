"""Vega-Lite specs for the brief, built with Altair from rows the warehouse already aggregated.

Data is inlined in each spec (values, never URLs), so the page needs no server and no network; the
statements that feed these functions bound the row counts, so the page stays small whatever the
warehouse holds. Charts render as SVG, which keeps them sharp when printed and lets a test look at them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt

from pipelines.core.brief.labels import FONT_SIZE, MapFrame, place_labels

WORLD_FILE = Path(__file__).with_name("world-110m.json")
WORLD_DATASET = "world-110m"
WIDTH = 760
MAP_HEIGHT = 420
# The map's circles: area in square pixels from the fewest events to the most.
CIRCLE_AREA = (60.0, 900.0)
# The smallest area the map shows around its events (degrees): a single point still gets a region.
MIN_SPAN_LON, MIN_SPAN_LAT = 40.0, 20.0

Rows = Sequence[dict[str, Any]]


@cache
def world_topology() -> dict[str, Any]:
    """Natural Earth 1:110m countries as TopoJSON (world-atlas 2.0.2, shipped with this package)."""
    return json.loads(WORLD_FILE.read_text("utf-8"))


def _values(rows: Rows) -> alt.Data:
    return alt.Data(values=[dict(row) for row in rows])


# The time axis groups events by day over a short span, by week or month over longer ones, so a window
# reaching back years stays readable: (longest span in days, Vega-Lite time unit, what one bar is).
TIME_UNITS = [(92, "utcyearmonthdate", "day"), (2 * 366, "utcyearweek", "week"), (None, "utcyearmonth", "month")]


def time_unit(days: Sequence[str]) -> tuple[str, str]:
    """The time unit and its name for ISO dates spanning `days` (one bar per day up to three months)."""
    if not days:
        return TIME_UNITS[0][1], TIME_UNITS[0][2]
    span = (date.fromisoformat(max(days)) - date.fromisoformat(min(days))).days
    for longest, unit, name in TIME_UNITS:
        if longest is None or span <= longest:
            return unit, name
    raise AssertionError("unreachable: the last unit has no limit")


def events_per_day(rows: Rows) -> dict[str, Any]:
    """Stacked bars of events by type on a true time axis (rows: day, event_type, quad_class, events), and
    beside it one bar of the events whose reports state no date (rows with day None): the day the
    pipeline took such a report in says nothing about when its events happened."""
    dated = [r for r in rows if r["day"] is not None]
    undated = [dict(r, when="no date") for r in rows if r["day"] is None]
    color = alt.Color("event_type:N", title="type", scale=alt.Scale(scheme="tableau20"))
    events = alt.Tooltip("sum(events):Q", title="events")
    charts = []
    if dated:
        unit, name = time_unit([r["day"] for r in dated])
        charts.append(
            alt.Chart(_values(dated), width=WIDTH - (210 if undated else 120), height=260, title=f"events per {name}")
            .mark_bar()
            .encode(
                x=alt.X(f"{unit}(day):T", title=None, axis=alt.Axis(labelAngle=0, labelOverlap=True)),
                y=alt.Y("sum(events):Q", title="events", axis=alt.Axis(format="d", tickMinStep=1)),
                color=color,
                tooltip=[alt.Tooltip(f"{unit}(day):T", title=name), "event_type:N", "quad_class:N", events],
            )
        )
    if undated:
        charts.append(
            alt.Chart(_values(undated), width=60, height=260, title="no date")
            .mark_bar()
            .encode(
                x=alt.X("when:N", title=None, axis=alt.Axis(labelAngle=0)),
                y=alt.Y("sum(events):Q", title=None, axis=alt.Axis(format="d", tickMinStep=1)),
                color=color,
                tooltip=["event_type:N", "quad_class:N", events],
            )
        )
    return alt.hconcat(*charts).resolve_scale(y="independent").to_dict()


def _ranked_bars(rows: Rows, label: str, value: str, title: str, color: alt.Color | str) -> alt.Chart:
    return (
        alt.Chart(_values(rows), width=WIDTH // 2 - 130, title=title)
        .mark_bar()
        .encode(
            y=alt.Y(f"{label}:N", sort="-x", title=None),
            x=alt.X(f"{value}:Q", title=value, axis=alt.Axis(format="d", tickMinStep=1)),
            color=color,
            tooltip=[f"{label}:N", f"{value}:Q"],
        )
    )


def participants(rows: Rows) -> dict[str, Any]:
    """Top actors beside top recipients (rows: role, name, events)."""
    actors = [r for r in rows if r["role"] == "actor"]
    recipients = [r for r in rows if r["role"] == "recipient"]
    return alt.hconcat(
        _ranked_bars(actors, "name", "events", "actors (who acts)", alt.value("#4c78a8")),
        _ranked_bars(recipients, "name", "events", "recipients (acted upon)", alt.value("#e45756")),
    ).to_dict()


def top_entities(rows: Rows) -> dict[str, Any]:
    """Entities by distinct reports naming them, coloured by type (rows: name, type, reports)."""
    chart = _ranked_bars(rows, "name", "reports", "", alt.Color("type:N", scale=alt.Scale(scheme="tableau10")))
    return chart.properties(width=WIDTH - 200).to_dict()


def _bounds(places: Rows) -> tuple[float, float, float, float]:
    """West, east, south, north of a box around the places, at least MIN_SPAN wide, for the map to fit."""
    if not places:
        return -180.0, 180.0, -60.0, 80.0
    lons = [float(p["lon"]) for p in places]
    lats = [float(p["lat"]) for p in places]
    mid_lon, mid_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    half_lon = max(MIN_SPAN_LON, max(lons) - min(lons) + 10) / 2
    half_lat = max(MIN_SPAN_LAT, max(lats) - min(lats) + 6) / 2
    west, east = max(-180.0, mid_lon - half_lon), min(180.0, mid_lon + half_lon)
    south, north = max(-85.0, mid_lat - half_lat), min(85.0, mid_lat + half_lat)
    return west, east, south, north


def _legend_values(places: Rows) -> list[int]:
    """Whole counts for the circles' legend: the fewest, the most and one between (a legend of 1, 1.5 and 2
    events printed as "1, 2, 2" otherwise)."""
    counts = sorted({int(p["events"]) for p in places}) or [1]
    low, high = counts[0], counts[-1]
    return sorted({low, (low + high) // 2, high})


def event_map(places: Rows) -> dict[str, Any]:
    """Geocoded events as circles sized by count on an equirectangular world outline with a graticule,
    zoomed to where the events are (rows: place, lat, lon, events, types). Place names are placed where
    they overlap neither each other nor another circle (labels.py); the others are in the tooltips."""
    west, east, south, north = _bounds(places)
    box = {"type": "MultiPoint", "coordinates": [[west, south], [east, north]]}
    view = {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": box}]}
    frame = MapFrame(west, east, south, north, WIDTH, MAP_HEIGHT)
    # The outline goes in as a named dataset after Altair is done: walking 100 KB of arcs through Altair's
    # schema machinery would cost more than the rest of the page.
    countries = alt.NamedData(name=WORLD_DATASET, format=alt.DataFormat(type="topojson", feature="countries"))
    graticule = alt.Chart(alt.graticule(step=[10, 10])).mark_geoshape(stroke="#dde3ea", strokeWidth=0.5, clip=True)
    land = alt.Chart(countries).mark_geoshape(fill="#eef1f4", stroke="#9aa7b4", strokeWidth=0.6, clip=True)
    points = (
        alt.Chart(_values(places))
        .mark_circle(color="#d62728", opacity=0.75, stroke="white", strokeWidth=1, clip=True)
        .encode(
            longitude="lon:Q",
            latitude="lat:Q",
            size=alt.Size(
                "events:Q",
                scale=alt.Scale(range=list(CIRCLE_AREA), zero=False),
                legend=alt.Legend(title="events", format="d", values=_legend_values(places)),
            ),
            tooltip=["place:N", "events:Q", "types:N"],
        )
    )
    labels = (
        alt.Chart(_values(place_labels(places, frame, CIRCLE_AREA)))
        .mark_text(fontSize=FONT_SIZE, color="#323f4b", align="center", baseline="middle", clip=True)
        .encode(longitude="lon:Q", latitude="lat:Q", text="place:N")
    )
    layers = alt.layer(graticule, land, points, labels, width=WIDTH, height=MAP_HEIGHT)
    spec = layers.project(type="equirectangular", fit=view).to_dict()
    spec.setdefault("datasets", {})[WORLD_DATASET] = world_topology()
    return spec
