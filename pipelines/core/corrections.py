"""The corrections file: an analyst's fixes of events, stories and near-duplicate groups, kept as data
beside the entity overrides (format: see the default file, pipelines/core/rules/corrections.yaml).

Every fix names what it corrects by what survives a recompute, never by a row id:
- an event by its article (article id, URL, or the seed file as in documents.uri), a quote of the words
  around it in the article's text (whitespace and case free), and optionally a word of its trigger and the
  type it was coded with. Re-parsing moves sentence numbers and offsets, a new coder moves triggers and ids;
  the article's text and the words the analyst read stay. A fix that no longer finds its event (the text
  was edited, the new coder no longer codes it, or codes it with another type) is reported stale, never
  applied to something else;
- a story or a near-duplicate group by the articles in it.

Entries are checked on load and errors name the entry; what an entry applies to is decided against the
warehouse by the stages (stages/apply_corrections.py), which report every entry's status.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from pipelines.core.events.ontology import LexiconError, check_type, plover_type, quad_class
from pipelines.core.ids import stable_id
from pipelines.core.nlp.overrides import OverridesError, parse_reference
from pipelines.core.settings import PROJECT_ROOT, rules_file

DEFAULT_CORRECTIONS_FILE = PROJECT_ROOT / "pipelines" / "core" / "rules" / "corrections.yaml"
_EVENT_KEYS = frozenset({"article", "quote", "trigger", "type", "drop", "change", "every", "note"})
_CHANGES = ("type", "mode", "actor", "recipient", "location", "date")
_GROUP_KEYS = frozenset({"articles", "from", "note"})


class CorrectionsError(ValueError):
    """The corrections file cannot be used; the message names the entry."""


@dataclass(frozen=True)
class Party:
    """A corrected actor, recipient or place: an entity ("COUNTRY: Russia", by its canonical key) or a
    phrase with an optional sector and country."""

    text: str
    entity_key: str | None = None
    sector: str | None = None
    country_code: str | None = None


@dataclass(frozen=True)
class EventFix:
    correction_id: str
    position: int
    entry: str  # the entry as JSON, for the corrections table
    note: str | None
    article: str
    quote: str
    trigger: str | None
    coded_type: str | None
    drop: bool
    changes: tuple[tuple[str, Any], ...]  # (what, value) in _CHANGES order; value None clears it
    every: bool

    def matches_text(self, text: str) -> bool:
        return quote_pattern(self.quote).search(text) is not None

    def matches(self, text: str, event: dict[str, Any]) -> bool:
        """Does this fix name `event` (trigger, trigger_char, event_type) of the article with this text?"""
        if self.coded_type and event["event_type"] != self.coded_type:
            return False
        if self.trigger and self.trigger.casefold() not in event["trigger"].casefold().split():
            return False
        return any(m.start() <= event["trigger_char"] < m.end() for m in quote_pattern(self.quote).finditer(text))


@dataclass(frozen=True)
class GroupFix:
    """A story merge (the articles are one story) or split (the articles are one story, apart from the
    articles of `apart_from`), or a near-duplicate split (the articles are a group of their own, apart
    from the group of the articles of `apart_from`, or without it from whatever group they were in)."""

    correction_id: str
    section: str
    action: str
    position: int
    entry: str
    note: str | None
    articles: tuple[str, ...]
    apart_from: tuple[str, ...] = ()

    @property
    def refs(self) -> tuple[str, ...]:
        """Every article reference the entry names: its articles, then those of `apart_from`."""
        return (*self.articles, *self.apart_from)


@dataclass(frozen=True)
class Corrections:
    events: tuple[EventFix, ...] = ()
    story_merges: tuple[GroupFix, ...] = ()
    story_splits: tuple[GroupFix, ...] = ()
    duplicate_splits: tuple[GroupFix, ...] = ()
    fingerprint: str = "none"


def quote_pattern(quote: str) -> re.Pattern[str]:
    """The quote's words in order, any whitespace between them, any case."""
    return re.compile(r"\s+".join(re.escape(word) for word in quote.split()), re.IGNORECASE)


def _entry_id(section: str, entry: Any) -> str:
    return stable_id("correction", section, json.dumps(entry, sort_keys=True, default=str))


def _party(what: str, value: Any) -> Party | None:
    if value is None:
        return None
    if isinstance(value, dict) and "text" in value:
        if set(value) - {"text", "sector", "country"}:
            raise CorrectionsError(f"{what} {value!r}: a phrase takes only text, sector and country")
        country = str(value["country"]).upper() if value.get("country") else None
        return Party(str(value["text"]), None, value.get("sector"), country)
    try:
        reference = parse_reference(value)
    except OverridesError as exc:
        raise CorrectionsError(f"{what}: {exc}") from None
    country = reference.key.partition(":")[2] if reference.key.startswith("COUNTRY:") else None
    return Party(reference.written, reference.key, None, country)


def _change(what: str, value: Any) -> Any:
    if what == "type":
        return plover_type(str(value))
    if what == "date" and value is not None and not isinstance(value, dt.date):
        try:
            return dt.date.fromisoformat(str(value))
        except ValueError:
            raise CorrectionsError(f"date {value!r} is not YYYY-MM-DD") from None
    if what in ("actor", "recipient", "location"):
        return _party(what, value)
    return value


def _event_fix(position: int, entry: Any) -> EventFix:
    if not isinstance(entry, dict) or not entry.get("article") or not entry.get("quote"):
        raise CorrectionsError("an event fix needs article: and quote:")
    if set(entry) - _EVENT_KEYS:
        raise CorrectionsError(f"unknown field(s) {sorted(set(entry) - _EVENT_KEYS)}")
    changes = entry.get("change") or {}
    if not isinstance(changes, dict) or set(changes) - set(_CHANGES):
        raise CorrectionsError(f"change: takes only {', '.join(_CHANGES)}")
    if bool(entry.get("drop")) == bool(changes):
        raise CorrectionsError("an event fix says either drop: true or change: {…}")
    parsed = tuple((what, _change(what, changes[what])) for what in _CHANGES if what in changes)
    new_type = dict(parsed).get("type")
    if changes.get("mode") is not None:
        if not (new_type or entry.get("type")):
            raise CorrectionsError("a mode belongs to a type: name it with type: or change: type:")
        check_type(new_type or plover_type(str(entry["type"])), changes["mode"], "change: mode")
    coded_type = plover_type(str(entry["type"])) if entry.get("type") else None
    return EventFix(
        _entry_id("events", entry),
        position,
        json.dumps(entry, default=str),
        entry.get("note"),
        str(entry["article"]),
        str(entry["quote"]),
        str(entry["trigger"]) if entry.get("trigger") else None,
        coded_type,
        bool(entry.get("drop")),
        parsed,
        bool(entry.get("every")),
    )


def _articles(value: Any, what: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not value or not all(isinstance(v, str) and v for v in value):
        raise CorrectionsError(f"{what} must list articles (ids, URLs or seed files)")
    return tuple(value)


def _group_fix(section: str, action: str, position: int, entry: Any) -> GroupFix:
    as_dict = {"articles": entry} if isinstance(entry, list) else entry
    if not isinstance(as_dict, dict) or set(as_dict) - _GROUP_KEYS:
        raise CorrectionsError(f"expected a list of articles or {{articles: […], from: […], note: …}}, not {entry!r}")
    articles = _articles(as_dict.get("articles"), "articles")
    apart: tuple[str, ...] = ()
    if action == "merge":
        if len(articles) < 2 or "from" in as_dict:
            raise CorrectionsError("a merge lists two or more articles")
    elif section == "stories" or "from" in as_dict:  # a near-duplicate split may stand apart from all
        apart = _articles(as_dict.get("from"), "from")
    correction_id = _entry_id(f"{section}.{action}", entry)
    return GroupFix(correction_id, section, action, position, json.dumps(entry), as_dict.get("note"), articles, apart)


def _section(data: dict[str, Any], section: str, actions: tuple[str, ...]) -> dict[str, tuple[GroupFix, ...]]:
    body = data.get(section) or {}
    if not isinstance(body, dict) or set(body) - set(actions):
        raise CorrectionsError(f"{section}: takes only {', '.join(actions)}")
    out = {}
    for action in actions:
        fixes = []
        for position, entry in enumerate(body.get(action) or [], 1):
            try:
                fixes.append(_group_fix(section, action, position, entry))
            except CorrectionsError as exc:
                raise CorrectionsError(f"{section}.{action} entry {position}: {exc}") from None
        out[action] = tuple(fixes)
    return out


def parse_corrections(text: str, origin: str = "corrections") -> Corrections:
    try:
        data = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise CorrectionsError(f"{origin} is not valid YAML: {exc}") from exc
    if not isinstance(data, dict) or set(data) - {"events", "stories", "duplicates"}:
        raise CorrectionsError(f"{origin}: expected only the sections events, stories and duplicates")
    events = []
    for position, entry in enumerate(data.get("events") or [], 1):
        try:
            events.append(_event_fix(position, entry))
        except (CorrectionsError, LexiconError) as exc:
            raise CorrectionsError(f"{origin}: events entry {position}: {exc}") from None
    try:
        stories = _section(data, "stories", ("merge", "split"))
        duplicates = _section(data, "duplicates", ("split",))
    except CorrectionsError as exc:
        raise CorrectionsError(f"{origin}: {exc}") from None
    fingerprint = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    return Corrections(tuple(events), stories["merge"], stories["split"], duplicates["split"], fingerprint)


def corrections_path() -> Path:
    """NEWS_CORRECTIONS (relative to the project folder), default the file in the repository."""
    return rules_file("NEWS_CORRECTIONS", DEFAULT_CORRECTIONS_FILE)


def load_corrections(path: Path) -> Corrections:
    """The corrections in `path`; a missing file means none."""
    if not path.is_file():
        return Corrections()
    return parse_corrections(path.read_text("utf-8"), str(path))


def type_columns(event_type: str) -> dict[str, str]:
    """The events columns a type change sets."""
    return {"event_type": event_type, "quad_class": quad_class(event_type)}
