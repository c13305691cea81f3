"""The sources file (NEWS_SOURCES_FILE, default sources.yaml): the feeds and pages to ingest.

    defaults:
      poll_minutes: 30            # feeds; pages are fetched once unless they set poll_minutes
    feeds:
      - https://example.com/rss   # a bare URL, or:
      - url: https://example.org/atom.xml
        name: Example world news
        poll_minutes: 60
        tags: [world]
    pages:
      - url: https://example.net/2024/05/some-article.html

A file that is not valid YAML, or not shaped like this, is an error for the whole run (the message says
where). A single bad entry is not: it is kept with the reason (sources.status = 'invalid') and the
other entries are polled.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipelines.core.fetch.addresses import AddressRefused, check_url
from pipelines.core.ids import stable_id
from pipelines.core.urls import canonical_url

KINDS = {"feeds": "feed", "pages": "page"}
DEFAULT_FEED_POLL_MINUTES = 30
_ENTRY_KEYS = {"url", "name", "poll_minutes", "tags"}


class SourcesFileError(ValueError):
    """The sources file as a whole cannot be used; the message names the file and the problem."""


@dataclass(frozen=True)
class DeclaredSource:
    source_id: str
    kind: str  # feed | page
    url: str
    name: str | None = None
    tags: tuple[str, ...] = ()
    poll_minutes: int | None = None
    problem: str | None = None


# A year: longer intervals are a typo, and no clock or database column holds 10^23 minutes.
MAX_POLL_MINUTES = 525_600


def source_id(kind: str, url: str) -> str:
    """Stable id of a source: the same feed written with other case or tracking parameters is one source."""
    try:
        canonical = canonical_url(url)
    except ValueError:  # not a URL at all ("http://[::1"): the text is its identity
        canonical = None
    return stable_id("source", kind, canonical or url.strip())


def _minutes(value: Any, where: str) -> tuple[int | None, str | None]:
    if value is None:
        return None, None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_POLL_MINUTES:
        return None, (
            f"{where}: poll_minutes must be a whole number of minutes from 1 to {MAX_POLL_MINUTES} (a year), "
            f"not {value!r}"
        )
    return value, None


def _entry(raw: Any, kind: str, where: str, default_minutes: int | None) -> DeclaredSource:
    spec = {"url": raw} if isinstance(raw, str) else raw
    if not isinstance(spec, dict):
        text = repr(raw)
        return DeclaredSource(source_id(kind, text), kind, text, problem=f"{where}: expected a URL or a mapping")
    url = spec.get("url")
    if not isinstance(url, str) or not url.strip():
        text = repr(spec)
        return DeclaredSource(source_id(kind, text), kind, text, problem=f"{where}: the entry has no url")
    url = url.strip()
    problems: list[str] = []
    unknown = sorted(set(spec) - _ENTRY_KEYS)
    if unknown:
        problems.append(
            f"{where}: unknown field(s) {', '.join(map(str, unknown))} (known: {', '.join(sorted(_ENTRY_KEYS))})"
        )
    try:
        check_url(url)
    except AddressRefused as exc:
        problems.append(f"{where}: {exc}")
    except ValueError as exc:  # urllib's own verdict on text that is not a URL
        problems.append(f"{where}: not a valid URL ({exc}): {url!r}")
    minutes, problem = _minutes(spec.get("poll_minutes", default_minutes), where)
    if problem:
        problems.append(problem)
    tags = spec.get("tags") or []
    if isinstance(tags, str):
        tags = [tags]
    if not isinstance(tags, list) or not all(isinstance(t, str | int) for t in tags):
        problems.append(f"{where}: tags must be a list of words")
        tags = []
    name = spec.get("name")
    return DeclaredSource(
        source_id(kind, url),
        kind,
        url,
        name=str(name).strip() if name not in (None, "") else None,
        tags=tuple(str(t).strip() for t in tags if str(t).strip()),
        poll_minutes=minutes,
        problem="; ".join(problems) or None,
    )


def parse_sources(text: str, origin: str = "sources file") -> list[DeclaredSource]:
    """Declared sources of a sources-file text, in file order, each URL once (the first entry wins)."""
    try:
        doc = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise SourcesFileError(f"{origin} is not valid YAML: {exc}") from exc
    if doc is None:
        return []
    if not isinstance(doc, dict):
        raise SourcesFileError(f"{origin}: expected a mapping with 'feeds' and/or 'pages' lists")
    unknown = sorted(set(doc) - {*KINDS, "defaults"})
    if unknown:
        raise SourcesFileError(
            f"{origin}: unknown section(s) {', '.join(map(str, unknown))}; use feeds, pages, defaults"
        )
    defaults = doc.get("defaults") or {}
    if not isinstance(defaults, dict):
        raise SourcesFileError(f"{origin}: 'defaults' must be a mapping")
    feed_minutes, problem = _minutes(defaults.get("poll_minutes", DEFAULT_FEED_POLL_MINUTES), f"{origin}: defaults")
    if problem:
        raise SourcesFileError(problem)
    declared: dict[str, DeclaredSource] = {}
    for section, kind in KINDS.items():
        entries = doc.get(section) or []
        if not isinstance(entries, list):
            raise SourcesFileError(f"{origin}: '{section}' must be a list")
        for number, raw in enumerate(entries, start=1):
            where = f"{section}[{number}]"
            entry = _entry(raw, kind, where, feed_minutes if kind == "feed" else None)
            declared.setdefault(entry.source_id, entry)
    return list(declared.values())


def find_source(declared: Iterable[DeclaredSource], wanted: str) -> DeclaredSource | None:
    """The source a person names: by its name in the file, its URL as written there, or its id."""
    for source in declared:
        if wanted in (source.source_id, source.url, source.name):
            return source
    return None


def load_sources(path: Path | None) -> list[DeclaredSource]:
    """The sources of the file at `path`; none when there is no such file (seed folder only)."""
    if path is None or not path.is_file():
        return []
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SourcesFileError(f"cannot read the sources file {path}: {exc}") from exc
    return parse_sources(text, str(path))
