"""Join canonical keys across articles into entities, and describe each entity.

Each article resolved its own mentions to keys (article_linking.py). Across articles:

- Same key, same entity: "Erdoğan" and "Erdogan" fold to one key; "Russian" and "the United States"
  are keys of countries (COUNTRY:RU, COUNTRY:US); places settled by the gazetteer share a geonames id.
- Alias rule: a key joins the one entity that used it as a short form or abbreviation in another
  article. "ORG:ypg" (an article that only writes "YPG") joins "People's Protection Units", because an
  article that defined the acronym linked "YPG" to it.
- Surname rule (PERSON): a name joins the one fuller name of which it is a short form (names.py):
  "Tayyip Erdogan" and an "Erdogan" from an article without a full name both join
  "Recep Tayyip Erdoğan". Risk: someone else with that surname whose full name we never saw joins
  the one we know (a "Johnson" in sport news and "Boris Johnson"). Two candidates (two known
  "… Johnson"s) join nothing. The overrides file can split a wrong join.
- Neither rule applies to places: a "Damascus" the article could not settle stays apart from the
  Syrian capital rather than being guessed into it.
- Overrides (overrides.py): merges first, then the rules, which respect splits.

Keys are processed fullest name first, so chains settle ("Tayyip Erdogan" joins "Recep Tayyip
Erdoğan" before "Erdogan" looks for its one candidate). The canonical key of a cluster is its
override-chosen key, else its fullest name (most words, then most mentions); the entity id is a hash
of it. Everything here is a pure function of the set of keys in use and the overrides, so the result
does not depend on the order articles arrived in.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from pipelines.core.nlp.countries import country_by_code
from pipelines.core.nlp.entities import (
    COUNTRY,
    NAME_KEYED_TYPES,
    PERSON,
    PLACE,
    entity_id_for_key,
    key_type,
    place_key,
)
from pipelines.core.nlp.gazetteer import place_by_id, place_candidates
from pipelines.core.nlp.geocode import AMBIGUOUS, GAZETTEER, NOT_FOUND, REGION
from pipelines.core.nlp.names import is_short_form
from pipelines.core.nlp.overrides import Overrides, PlaceFix, Split

# Bump when a change here changes which keys make one entity or how entities are described.
LINKER_VERSION = "1"
OVERRIDE = "override"
MAX_ALIASES = 20
# How a key came to its entity (entity_links.rule).
CANONICAL, SAME_NAME, ALIAS, SURNAME, MERGED, PLACE_FIX, SPLIT = (
    "canonical",
    "same name",
    "alias",
    "surname",
    "override merge",
    "override place",
    "override split",
)


@dataclass(frozen=True)
class KeyUse:
    """Mentions sharing entity key, surface key, surface and country (one row of entity_key_uses)."""

    entity_key: str
    surface_key: str
    surface: str
    country_code: str | None
    mentions: int


@dataclass(frozen=True)
class Link:
    entity_key: str
    surface_key: str
    entity_id: str
    rule: str


@dataclass(frozen=True)
class EntityRow:
    entity_id: str
    name: str
    type: str
    aliases: tuple[str, ...]
    country_code: str | None
    geonames_id: int | None
    lat: float | None
    lon: float | None
    geo_status: str | None
    canonical_key: str


def _words(key: str) -> tuple[str, ...]:
    return tuple(key.split(":", 1)[1].split())


class _Clusters:
    """Union-find over keys."""

    def __init__(self, keys: Iterable[str]) -> None:
        self.parent = {key: key for key in keys}

    def find(self, key: str) -> str:
        self.parent.setdefault(key, key)
        root = key
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[key] != root:
            self.parent[key], key = root, self.parent[key]
        return root

    def union(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class _Linker:
    uses: list[KeyUse]
    overrides: Overrides

    def __post_init__(self) -> None:
        self.keys = sorted({u.entity_key for u in self.uses})
        self.clusters = _Clusters(self.keys)
        self.rule: dict[str, str] = {}
        self.forced: dict[str, str] = {}  # representative key → name to show (overrides)
        self.splits: dict[str, Split] = {s.key: s for s in self.overrides.splits}
        self.fixes: dict[str, PlaceFix] = {}
        self.mentions: Counter[str] = Counter()
        for use in self.uses:
            self.mentions[use.entity_key] += use.mentions

    def apply_overrides(self) -> None:
        for group in self.overrides.merges:
            self.forced[group[0].key] = group[0].written
            for ref in group[1:]:
                self.clusters.union(group[0].key, ref.key)
                self.rule[ref.key] = MERGED
        for fix in self.overrides.places:
            self.fixes[fix.key] = fix
            if fix.geonames_id is not None:
                target = place_key(fix.geonames_id)
                self.forced.setdefault(target, "")
                self.clusters.union(target, fix.key)
                self.rule[fix.key] = PLACE_FIX

    def apply_rules(self) -> None:
        holders: dict[str, set[str]] = defaultdict(set)  # surface key → keys it was resolved to
        for use in self.uses:
            if use.surface_key != use.entity_key:
                holders[use.surface_key].add(use.entity_key)
        people: dict[str, list[str]] = defaultdict(list)  # surname → full names
        for key in self.keys:
            if key_type(key) == PERSON and len(_words(key)) > 1:
                people[_words(key)[-1]].append(key)
        merged = {ref.key for group in self.overrides.merges for ref in group}
        candidates_of = [k for k in self.keys if key_type(k) in NAME_KEYED_TYPES and k not in merged]
        for key in sorted(candidates_of, key=lambda k: (-len(_words(k)), k)):
            split = self.splits.get(key)
            if split is not None and split.from_key is None:
                continue
            aliases = holders.get(key, set()) - {key}
            words = _words(key)
            surname = words[-1] if words and key_type(key) == PERSON else ""
            short = {p for p in people.get(surname, []) if is_short_form(words, _words(p))}
            roots = {self.clusters.find(k) for k in aliases | short}
            if split is not None:
                roots.discard(self.clusters.find(split.from_key))
            if len(roots) == 1 and self.clusters.find(key) not in roots:
                self.clusters.union(key, next(iter(roots)))
                self.rule[key] = ALIAS if aliases else SURNAME

    def representatives(self) -> dict[str, str]:
        """Cluster root → canonical key."""
        members: dict[str, list[str]] = defaultdict(list)
        for key in list(self.clusters.parent):
            members[self.clusters.find(key)].append(key)
        chosen = {}
        for root, keys in members.items():
            forced = sorted(k for k in keys if k in self.forced)
            chosen[root] = forced[0] if forced else max(keys, key=lambda k: (len(_words(k)), self.mentions[k], k))
        return chosen

    def link(self) -> tuple[list[Link], list[EntityRow]]:
        self.apply_overrides()
        self.apply_rules()
        reps = self.representatives()
        links: dict[tuple[str, str], Link] = {}
        entity_uses: dict[str, list[KeyUse]] = defaultdict(list)
        canonical: dict[str, str] = {}
        for use in self.uses:
            rep, rule = self._entity_of(use, reps)
            entity_id = entity_id_for_key(rep)
            links[(use.entity_key, use.surface_key)] = Link(use.entity_key, use.surface_key, entity_id, rule)
            entity_uses[entity_id].append(use)
            canonical[entity_id] = rep
        rows = [self._describe(entity_id, canonical[entity_id], uses) for entity_id, uses in entity_uses.items()]
        return sorted(links.values(), key=lambda x: (x.entity_key, x.surface_key)), sorted(
            rows, key=lambda r: r.entity_id
        )

    def _entity_of(self, use: KeyUse, reps: dict[str, str]) -> tuple[str, str]:
        """Canonical key and rule for the mentions of `use`."""
        split = self.splits.get(use.surface_key)
        if (
            split is not None
            and use.surface_key != use.entity_key
            and (split.from_key is None or self.clusters.find(split.from_key) == self.clusters.find(use.entity_key))
        ):
            own = use.surface_key
            return (reps[self.clusters.find(own)] if own in self.clusters.parent else own), SPLIT
        rep = reps[self.clusters.find(use.entity_key)]
        if rep == use.entity_key:
            return rep, CANONICAL
        return rep, self.rule.get(use.entity_key, SAME_NAME)

    def _describe(self, entity_id: str, rep: str, uses: list[KeyUse]) -> EntityRow:
        entity_type = key_type(rep)
        surfaces: Counter[str] = Counter()
        own: Counter[str] = Counter()
        hints: Counter[str] = Counter()
        for use in uses:
            surfaces[use.surface] += use.mentions
            if use.surface_key == rep:
                own[use.surface] += use.mentions
            if use.country_code:
                hints[use.country_code] += use.mentions
        name = self.forced.get(rep) or _best_written(own or surfaces)
        country = _majority(hints)
        geonames_id = lat = lon = geo_status = None
        fix = self.fixes.get(rep)
        if entity_type == COUNTRY:
            known = country_by_code(rep.split(":", 1)[1])
            if known:
                name, country, geonames_id = known.name, known.code, known.geonames_id
        elif entity_type == PLACE:
            place = place_by_id(int(rep.split(":")[2])) if rep.startswith(f"{PLACE}:gn:") else None
            if place:
                name, country, geonames_id, lat, lon = (
                    place.name,
                    place.country_code,
                    place.geonames_id,
                    place.lat,
                    place.lon,
                )
                geo_status = OVERRIDE if rep in self.forced else REGION if place.is_region else GAZETTEER
            else:
                geo_status = AMBIGUOUS if place_candidates(name) else NOT_FOUND
            if fix and fix.lat is not None:
                country, lat, lon, geo_status = fix.country_code, fix.lat, fix.lon, OVERRIDE
        aliases = tuple(s for s, _ in sorted(surfaces.items(), key=lambda x: (-x[1], x[0])) if s != name)
        return EntityRow(
            entity_id, name, entity_type, aliases[:MAX_ALIASES], country, geonames_id, lat, lon, geo_status, rep
        )


def _best_written(forms: Counter[str]) -> str:
    """The most frequent way of writing the name; on a tie the one with accents ("Erdoğan" keeps its ğ,
    which ASCII-only sources drop), then alphabetical."""
    return min(forms, key=lambda s: (-forms[s], -sum(not ch.isascii() for ch in s), s))


def _majority(hints: Counter[str]) -> str | None:
    """The country more than half of the mentions that state one agree on."""
    if not hints:
        return None
    code, count = hints.most_common(1)[0]
    return code if count * 2 > sum(hints.values()) else None


def link_keys(uses: Iterable[KeyUse], overrides: Overrides) -> tuple[list[Link], list[EntityRow]]:
    """The entity of every (entity key, surface key) in use, and every entity's row (module docstring)."""
    return _Linker(list(uses), overrides).link()
