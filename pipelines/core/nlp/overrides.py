"""The entity overrides file: what a person knows that the rules cannot (format: see the default file,
pipelines/core/rules/entity_overrides.yaml).

Entities are named as "TYPE: name", the way they read in the warehouse: "ORG: Islamic State",
"PERSON: Johnson", "COUNTRY: SY" (or "COUNTRY: Syria"), "PLACE: Ain Issa" (a place without geonames id)
and "PLACE: geonames 170654" (a settled place). Names are compared like the rules compare them
(case, accents and punctuation ignored).

- merge: each list becomes one entity, named and identified by its first entry.
- split: mentions written as `name` get an entity of their own instead of joining a longer name (in the
  article or across articles); with `from`, only instead of joining that entity.
- places: a geocode for a place: `geonames_id` (the place becomes that gazetteer place), or `lat`, `lon`
  and `country` (for places the gazetteer lacks).

Overrides act on the cross-article linking step, which re-runs whenever the file changes; articles are
never re-read for them. Errors name the entry and say what is wrong.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipelines.core.nlp.countries import country_by_code, lookup_country
from pipelines.core.nlp.entities import COUNTRY, ENTITY_TYPES, PLACE, country_key, entity_key, place_key
from pipelines.core.nlp.names import name_key
from pipelines.core.settings import PROJECT_ROOT, rules_file

_GEONAMES_PREFIX = "geonames "
DEFAULT_OVERRIDES_FILE = PROJECT_ROOT / "pipelines" / "core" / "rules" / "entity_overrides.yaml"


class OverridesError(ValueError):
    """The overrides file cannot be used; the message names the entry."""


@dataclass(frozen=True)
class Reference:
    key: str  # canonical key, e.g. "ORG:islamic state"
    written: str  # the name as the person wrote it, e.g. "Islamic State"


@dataclass(frozen=True)
class Split:
    key: str
    from_key: str | None


@dataclass(frozen=True)
class PlaceFix:
    key: str
    geonames_id: int | None
    country_code: str | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class Overrides:
    merges: tuple[tuple[Reference, ...], ...] = ()
    splits: tuple[Split, ...] = ()
    places: tuple[PlaceFix, ...] = ()
    fingerprint: str = "none"


def parse_reference(text: Any) -> Reference:
    """ "ORG: Islamic State" → Reference("ORG:islamic state", "Islamic State"). Unquoted in YAML, the
    same words read as a one-entry mapping {"ORG": "Islamic State"}, which is accepted too."""
    if isinstance(text, dict) and len(text) == 1:
        text = "{}: {}".format(*next(iter(text.items())))
    entity_type, sep, name = str(text).partition(":")
    entity_type, name = entity_type.strip().upper(), name.strip()
    if not sep or entity_type not in ENTITY_TYPES or not name_key(name):
        raise OverridesError(f"{text!r} is not 'TYPE: name' with TYPE one of {', '.join(ENTITY_TYPES)}")
    if entity_type == COUNTRY:
        country = country_by_code(name) if len(name) in (2, 3) else lookup_country(name)
        if country is None:
            raise OverridesError(f"{text!r}: no country with that name or ISO code")
        return Reference(country_key(country.code), country.name)
    if entity_type == PLACE and name.lower().startswith(_GEONAMES_PREFIX):
        number = name[len(_GEONAMES_PREFIX) :].strip()
        if not number.isdigit():
            raise OverridesError(f"{text!r}: write a settled place as 'PLACE: geonames <id>'")
        return Reference(place_key(int(number)), name)
    return Reference(entity_key(entity_type, name_key(name)), name)


def _place_fix(entry: dict[str, Any]) -> PlaceFix:
    if not isinstance(entry, dict) or "name" not in entry:
        raise OverridesError(f"places entry {entry!r} needs a 'name: PLACE: …'")
    ref = parse_reference(entry["name"])
    if not ref.key.startswith(f"{PLACE}:"):
        raise OverridesError(f"places entry {entry['name']!r} is not a PLACE")
    if "geonames_id" in entry:
        return PlaceFix(ref.key, int(entry["geonames_id"]), None, None, None)
    country = country_by_code(str(entry.get("country", "")))
    if country is None or "lat" not in entry or "lon" not in entry:
        raise OverridesError(f"places entry {entry['name']!r} needs geonames_id, or lat, lon and an ISO country")
    lat, lon = float(entry["lat"]), float(entry["lon"])
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise OverridesError(f"places entry {entry['name']!r}: lat/lon out of range")
    return PlaceFix(ref.key, None, country.code, lat, lon)


def _split(entry: Any) -> Split:
    if isinstance(entry, dict) and "name" in entry:
        source = parse_reference(entry["from"]).key if entry.get("from") else None
        return Split(parse_reference(entry["name"]).key, source)
    return Split(parse_reference(entry).key, None)


def parse_overrides(text: str, origin: str = "overrides") -> Overrides:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise OverridesError(f"{origin} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or set(data) - {"merge", "split", "places"}:
        raise OverridesError(f"{origin}: expected only the sections merge, split and places")
    try:
        merges = []
        for group in data.get("merge") or []:
            if not isinstance(group, list) or len(group) < 2:
                raise OverridesError(f"merge entry {group!r} must list two or more entities")
            merges.append(tuple(parse_reference(item) for item in group))
        splits = tuple(_split(entry) for entry in data.get("split") or [])
        places = tuple(_place_fix(entry) for entry in data.get("places") or [])
    except OverridesError as exc:
        raise OverridesError(f"{origin}: {exc}") from None
    fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Overrides(tuple(merges), splits, places, fingerprint)


def overrides_path() -> Path:
    """NEWS_ENTITY_OVERRIDES (relative to the project folder), default the file in the repository."""
    return rules_file("NEWS_ENTITY_OVERRIDES", DEFAULT_OVERRIDES_FILE)


def load_overrides(path: Path) -> Overrides:
    """The overrides in `path`; a missing file means no overrides."""
    if not path.is_file():
        return Overrides()
    return parse_overrides(path.read_text("utf-8"), str(path))
