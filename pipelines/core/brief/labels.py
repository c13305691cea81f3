"""Where the map's place names go, so that no two overlap and none covers another place's circle.

Vega-Lite draws text where it is told and has no collision avoidance, and places in the news cluster
(Idlib, Aleppo and Raqqa are a few pixels apart on a map of the Middle East). So the placement is
computed here, on the map's own projection: an equirectangular projection fitted to the view box, which
is linear in longitude and latitude. Places are labelled by importance (most events first); each label
tries a few spots around its circle and takes the first that is free, and a place with no free spot
stays unlabelled (its circle and tooltip still name it).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

# Text metrics of the labels (11 px system-ui): a conservative average glyph width and the line height.
FONT_SIZE = 11
CHAR_WIDTH = 6.6
LINE_HEIGHT = 14
GAP = 3  # pixels between a circle and its label


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def overlaps(self, other: Box) -> bool:
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )

    def inside(self, width: float, height: float) -> bool:
        return self.left >= 0 and self.top >= 0 and self.right <= width and self.bottom <= height


@dataclass(frozen=True)
class MapFrame:
    """The fitted equirectangular projection: degrees to pixels and back, centred on the view box."""

    west: float
    east: float
    south: float
    north: float
    width: float
    height: float

    @property
    def scale(self) -> float:
        """Pixels per degree: the box fits the frame in both directions (d3's fitSize)."""
        return min(self.width / (self.east - self.west), self.height / (self.north - self.south))

    def pixel(self, lon: float, lat: float) -> tuple[float, float]:
        x = self.width / 2 + (lon - (self.west + self.east) / 2) * self.scale
        y = self.height / 2 - (lat - (self.south + self.north) / 2) * self.scale
        return x, y

    def degrees(self, x: float, y: float) -> tuple[float, float]:
        lon = (self.west + self.east) / 2 + (x - self.width / 2) / self.scale
        lat = (self.south + self.north) / 2 - (y - self.height / 2) / self.scale
        return lon, lat


def circle_radius(events: float, smallest: float, largest: float, area: tuple[float, float]) -> float:
    """The radius of a place's circle: its area scales linearly with events between the chart's range."""
    low, high = area
    share = 0.5 if largest == smallest else (events - smallest) / (largest - smallest)
    return math.sqrt((low + share * (high - low)) / math.pi)


def place_labels(places: Sequence[dict[str, Any]], frame: MapFrame, area: tuple[float, float]) -> list[dict[str, Any]]:
    """Label rows (text, lon, lat of the label's centre) for the places that can be named without overlap,
    most events first. `area`: the circles' area range in square pixels (the chart's size scale)."""
    if not places:
        return []
    counts = [float(p["events"]) for p in places]
    smallest, largest = min(counts), max(counts)
    circles = []
    for place, events in zip(places, counts, strict=True):
        x, y = frame.pixel(float(place["lon"]), float(place["lat"]))
        r = circle_radius(events, smallest, largest, area)
        circles.append(Box(x - r, y - r, x + r, y + r))
    taken: list[Box] = []
    labels = []
    order = sorted(range(len(places)), key=lambda i: (-float(places[i]["events"]), str(places[i]["place"])))
    for i in order:
        text = str(places[i]["place"] or "")
        if not text:
            continue
        spot = _free_spot(text, circles[i], [c for j, c in enumerate(circles) if j != i], taken, frame)
        if spot is None:
            continue
        taken.append(spot)
        lon, lat = frame.degrees((spot.left + spot.right) / 2, (spot.top + spot.bottom) / 2)
        labels.append({"place": text, "lon": lon, "lat": lat})
    return labels


def _free_spot(text: str, circle: Box, others: list[Box], taken: list[Box], frame: MapFrame) -> Box | None:
    width, height = len(text) * CHAR_WIDTH, LINE_HEIGHT
    cx, cy = (circle.left + circle.right) / 2, (circle.top + circle.bottom) / 2
    candidates = [
        (cx - width / 2, circle.top - GAP - height),  # above
        (circle.right + GAP, cy - height / 2),  # right
        (cx - width / 2, circle.bottom + GAP),  # below
        (circle.left - GAP - width, cy - height / 2),  # left
    ]
    blocked = [*taken, *others]
    for left, top in candidates:
        box = Box(left, top, left + width, top + height)
        if box.inside(frame.width, frame.height) and not any(box.overlaps(b) for b in blocked):
            return box
    return None
