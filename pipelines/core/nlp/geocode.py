"""Pick the place a name means in one article — or admit that we cannot tell.

A name often matches several cities ("Damascus": Syria's capital and towns in the United States). The
article says which: the countries it mentions (by name or demonym: "Syrian forces" counts for Syria)
and the countries of the places already settled in it. Each candidate scores

    log10(population) + CONTEXT_BONUS if its country is mentioned − ALTERNATE_PENALTY if matched by an
    alternate name only

and the best one wins only with a MARGIN over the runner-up (a tenfold population, or the article's
context). A candidate in a country the article never mentions must also be a large city
(PROMINENT_POPULATION): a lone 20,000-people town that shares a name with a village the gazetteer
lacks is a guess. Regions (US states) have no population in the gazetteer: they score as a
REGION_POPULATION place — above the towns named after them ("Maryland City"), below a capital or big
city of the same name (Washington, D.C.; New York City) — and need no prominence, as their names are
unique.
Anything else is 'ambiguous': the entity is still created, without coordinates — never a wrong place
with false confidence.

A place written with a qualifier ("Damascus, Maryland", "Tripoli, Lebanon") can only be a candidate
in that state or country (`within`).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from pipelines.core.nlp.gazetteer import Candidate, Place

# A mentioned country outweighs a 1000-fold population difference.
CONTEXT_BONUS = 3.0
ALTERNATE_PENALTY = 1.0
MARGIN = 1.0
PROMINENT_POPULATION = 100_000
REGION_POPULATION = 50_000

GAZETTEER = "gazetteer"
REGION = "region"
AMBIGUOUS = "ambiguous"
NOT_FOUND = "not_found"


@dataclass(frozen=True)
class Qualifier:
    """What a place's name was qualified with: a country, or a US state (country "US" and its code)."""

    country_code: str
    admin1: str | None = None

    def admits(self, place: Place) -> bool:
        if place.country_code != self.country_code:
            return False
        return self.admin1 is None or (place.admin1 == self.admin1 and not place.is_region)


@dataclass(frozen=True)
class GeoChoice:
    place: Place | None
    status: str  # gazetteer, ambiguous or not_found


def _score(candidate: Candidate, context: Mapping[str, int]) -> float:
    population = REGION_POPULATION if candidate.place.is_region else candidate.place.population
    score = math.log10(max(population, 1))
    if context.get(candidate.place.country_code):
        score += CONTEXT_BONUS
    if not candidate.exact:
        score -= ALTERNATE_PENALTY
    return score


def choose_place(
    candidates: Sequence[Candidate], context: Mapping[str, int], within: Qualifier | None = None
) -> GeoChoice:
    """The place `candidates` (all the gazetteer matches of one name) most likely means, given
    `context` (country code → mentions in the article) and the qualifier it was written with."""
    best: dict[int, Candidate] = {}
    for candidate in candidates:
        if within is not None and not within.admits(candidate.place):
            continue  # a city matched by main and alternate name counts once, as exact
        known = best.get(candidate.place.geonames_id)
        if known is None or (candidate.exact and not known.exact):
            best[candidate.place.geonames_id] = candidate
    if not best:
        return GeoChoice(None, NOT_FOUND)
    ranked = sorted(best.values(), key=lambda c: (-_score(c, context), c.place.geonames_id))
    top = ranked[0]
    if len(ranked) > 1 and _score(top, context) - _score(ranked[1], context) < MARGIN:
        return GeoChoice(None, AMBIGUOUS)
    known = context.get(top.place.country_code) or within is not None or top.place.is_region
    if not known and top.place.population < PROMINENT_POPULATION:
        return GeoChoice(None, AMBIGUOUS)
    return GeoChoice(top.place, REGION if top.place.is_region else GAZETTEER)
