"""RSS 0.9x/1.0/2.0, Atom and RDF feeds: fetched bytes in, entries out, with feedparser.

feedparser only ever sees bytes we fetched, wrapped in a stream: given a str it would fetch URLs itself,
and given bytes it first tries to open them as a file name (a body reading "/etc/passwd" would be read
from disk). A malformed feed that is still readable ("bozo") yields its entries, with the problem kept
as a warning for the source's health. Before feedparser, the DOCTYPE is checked for entity tricks:
nested entity definitions ("billion laughs"), external entities (XXE) and huge entity values are
refused outright, whatever the XML parser underneath would do with them.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import time
import xml.parsers.expat
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from pipelines.core.extract import html_fragment_text
from pipelines.core.feed_entry import FeedEntry

MAX_ENTITY_VALUE = 1024
MAX_ENTITIES = 200


class FeedError(ValueError):
    """The body is not a feed we can read; the message says why (kept as the source's last_error)."""


@dataclass(frozen=True)
class ParsedFeed:
    version: str
    title: str | None
    entries: list[FeedEntry]
    warning: str | None = None


class _RootReached(Exception):
    pass


def check_entities(body: bytes) -> None:
    """Refuse a DOCTYPE whose entity declarations could blow up or reach outside the document."""
    if b"<!ENTITY" not in body:
        return
    declared: list[tuple[str, str | None, str | None]] = []
    parser = xml.parsers.expat.ParserCreate()

    def on_entity(name: str, is_param: int, value: str | None, base: Any, system_id: str | None, *rest: Any) -> None:
        declared.append((name, value, system_id or (rest[0] if rest else None)))

    def on_root(*_: Any) -> None:
        raise _RootReached

    parser.EntityDeclHandler = on_entity
    parser.StartElementHandler = on_root
    # Only the prolog matters here (stop at the root element); a broken prolog is feedparser's to judge.
    with contextlib.suppress(_RootReached, xml.parsers.expat.ExpatError):
        parser.Parse(body, True)
    if len(declared) > MAX_ENTITIES:
        raise FeedError(f"refused: the feed declares {len(declared)} XML entities (entity expansion attack?)")
    for name, value, external in declared:
        if external or value is None:
            raise FeedError(f"refused: the feed declares an external XML entity {name!r} (XXE)")
        if "&" in value.replace("&#", "") or "%" in value:
            raise FeedError(
                f"refused: XML entity {name!r} is defined through other entities (a 'billion laughs' expansion bomb)"
            )
        if len(value) > MAX_ENTITY_VALUE:
            raise FeedError(f"refused: XML entity {name!r} is {len(value)} characters long (expansion attack?)")


def _iso(parsed: time.struct_time | None) -> str | None:
    if not parsed:
        return None
    try:
        return datetime(*parsed[:6], tzinfo=UTC).isoformat()
    except (TypeError, ValueError):
        return None


def _http_url(base: str, link: str | None) -> str | None:
    if not link or not link.strip():
        return None
    try:
        absolute = urljoin(base, link.strip())
        return absolute if urlsplit(absolute).scheme in ("http", "https") else None
    except ValueError:  # e.g. "http://[not-an-address/": no usable link
        return None


def _text(value: Any) -> str | None:
    """A string field as storable text: stripped, None when empty, anything UTF-8 cannot encode (a lone
    surrogate from a character reference) replaced."""
    if not isinstance(value, str) or not value.strip():
        return None
    return value.strip().encode("utf-8", "replace").decode("utf-8")


def _detail(entry: Any, name: str) -> tuple[str | None, str | None]:
    detail = entry.get(f"{name}_detail") or {}
    return _text(entry.get(name)), detail.get("type")


def _entry(raw: Any, base: str) -> FeedEntry:
    link = _http_url(base, raw.get("link"))
    title, title_type = _detail(raw, "title")
    if title and title_type in ("text/html", "application/xhtml+xml"):
        title = html_fragment_text(title)
    summary, summary_type = _detail(raw, "summary")
    content = raw.get("content") or []
    best = next((c for c in content if c.get("type") in ("text/html", "application/xhtml+xml")), None)
    best = best or (content[0] if content else {})
    key = raw.get("id") or raw.get("link")
    if not key:
        key = "sha256:" + hashlib.sha256(f"{title}\x1f{summary}".encode()).hexdigest()[:32]
    return FeedEntry(
        key=_text(str(key)) or "",
        link=_text(link),
        title=_text(title),
        # dict.get: feedparser's own get() maps a missing updated_parsed to published_parsed, with a warning
        published=_iso(dict.get(raw, "published_parsed") or dict.get(raw, "updated_parsed")),
        author=_text(raw.get("author")),
        summary=summary,
        summary_type=summary_type,
        content=_text(best.get("value")),
        content_type=best.get("type"),
    )


def _warning(parsed: Any) -> str | None:
    if not parsed.get("bozo"):
        return None
    problem = parsed.get("bozo_exception")
    if isinstance(problem, feedparser.NonXMLContentType):
        return f"served with a non-feed Content-Type ({problem}); read anyway"
    if isinstance(problem, feedparser.CharacterEncodingOverride):
        return f"declared the wrong character encoding ({problem}); read anyway"
    return f"malformed XML ({problem}); entries read by the lenient parser"


def parse_feed(body: bytes, url: str, content_type: str | None = None) -> ParsedFeed:
    """Entries of a fetched feed body, with relative links resolved against `url`; FeedError when the
    body is not a feed (an HTML page, an error page, nothing)."""
    if not body.strip():
        raise FeedError("empty response instead of a feed")
    check_entities(body)
    headers = {"content-location": url}
    if content_type:
        headers["content-type"] = content_type
    try:
        parsed = feedparser.parse(
            io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
        )
    except UnicodeError as exc:  # the lenient parser chokes on references to invalid characters
        raise FeedError(f"unreadable feed: {exc}") from exc
    if not parsed.get("version") and not parsed.entries:
        problem = parsed.get("bozo_exception")
        why = f" ({problem})" if problem else ""
        raise FeedError(f"not an RSS or Atom feed{why}; check the URL in the sources file")
    entries: dict[str, FeedEntry] = {}
    for raw in parsed.entries:
        entry = _entry(raw, url)
        entries.setdefault(entry.key, entry)  # a feed listing an entry twice lists it once
    title = parsed.feed.get("title") if isinstance(parsed.feed.get("title"), str) else None
    return ParsedFeed(parsed.get("version") or "unknown", title, list(entries.values()), _warning(parsed))
