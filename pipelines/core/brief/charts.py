"""Vega-Lite specs for the brief, built with Altair from rows the warehouse already aggregated.

Data is inlined in each spec (values, never URLs), so the page needs no server and no network; the
statements that feed these functions bound the row counts, so the page stays small whatever the
warehouse holds. Charts render as SVG, which keeps them sharp when printed and lets a test look at them.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any

import altair as alt

WORLD_FILE = Path(__file__).with_name("world-110m.json")
WORLD_DATASET = "world-110m"
WIDTH = 760
# The smallest area the map shows around its events (degrees): a single point still gets a region.
MIN_SPAN_LON, MIN_SPAN_LAT = 40.0, 20.0

Rows = Sequence[dict[str, Any]]


@cache
def world_topology() -> dict[str, Any]:
    """Natural Earth 1:110m countries as TopoJSON (world-atlas 2.0.2, shipped with this package)."""
    return json.loads(WORLD_FILE.read_text("utf-8"))


def _values(rows: Rows) -> alt.Data:
    return alt.Data(values=[dict(row) for row in rows])


def events_per_day(rows: Rows) -> dict[str, Any]:
    """Stacked bars: events per day, coloured by PLOVER type (rows: day, event_type, quad_class, events)."""
    chart = (
        alt.Chart(_values(rows), width=WIDTH, height=260)
        .mark_bar()
        .encode(
            x=alt.X("day:O", title=None, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y("sum(events):Q", title="events", axis=alt.Axis(format="d", tickMinStep=1)),
            color=alt.Color("event_type:N", title="type", scale=alt.Scale(scheme="tableau20")),
            tooltip=["day:O", "event_type:N", "quad_class:N", alt.Tooltip("sum(events):Q", title="events")],
        )
    )
    return chart.to_dict()


def _ranked_bars(rows: Rows, label: str, value: str, title: str, color: alt.Color | str) -> alt.Chart:
    return (
        alt.Chart(_values(rows), width=WIDTH // 2 - 90, title=title)
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


def _view_of(places: Rows) -> dict[str, Any]:
    """A GeoJSON box around the places, at least MIN_SPAN wide, for the projection to fit."""
    lons = [float(p["lon"]) for p in places] or [0.0]
    lats = [float(p["lat"]) for p in places] or [0.0]
    if not places:
        west, east, south, north = -180.0, 180.0, -60.0, 80.0
    else:
        mid_lon, mid_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
        half_lon = max(MIN_SPAN_LON, max(lons) - min(lons) + 10) / 2
        half_lat = max(MIN_SPAN_LAT, max(lats) - min(lats) + 6) / 2
        west, east = max(-180.0, mid_lon - half_lon), min(180.0, mid_lon + half_lon)
        south, north = max(-85.0, mid_lat - half_lat), min(85.0, mid_lat + half_lat)
    box = {"type": "MultiPoint", "coordinates": [[west, south], [east, north]]}
    return {"type": "FeatureCollection", "features": [{"type": "Feature", "properties": {}, "geometry": box}]}


def event_map(places: Rows) -> dict[str, Any]:
    """Geocoded events as circles sized by count on an equirectangular world outline with a graticule,
    zoomed to where the events are (rows: place, lat, lon, events, types)."""
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
                scale=alt.Scale(range=[60, 900], zero=False),
                legend=alt.Legend(title="events", format="d", tickMinStep=1),
            ),
            tooltip=["place:N", "events:Q", "types:N"],
        )
    )
    labels = (
        alt.Chart(_values(places))
        .mark_text(dy=-14, fontSize=11, color="#323f4b", clip=True)
        .encode(longitude="lon:Q", latitude="lat:Q", text="place:N")
    )
    layers = alt.layer(graticule, land, points, labels, width=WIDTH, height=420)
    spec = layers.project(type="equirectangular", fit=_view_of(places)).to_dict()
    spec.setdefault("datasets", {})[WORLD_DATASET] = world_topology()
    return spec
