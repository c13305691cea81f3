"""What a feed says about one article: its link, headline, date, author, and its own text.

A feed entry travels with the article's document: the headline, date and author are the publisher's
own (better than what page extraction guesses), and its content or summary is the text of last resort
when the linked page cannot be fetched or holds no article text. Stored as JSON (feed_entries.entry,
and as the raw bytes of a document that has no page), so articles can be rebuilt from the warehouse.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, fields

from pipelines.core.extract import html_fragment_text

FEED_ENTRY = "application/x-feed-entry+json"  # content type of a document that is only a feed entry
HTML_TYPES = ("text/html", "application/xhtml+xml")


class EntryError(ValueError):
    """Stored entry JSON that cannot be read back (hand-edited or from a future version)."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # identity within its feed: the entry's id/guid, else its link, else a hash of its text
    link: str | None = None  # absolute http(s) URL of the article page
    title: str | None = None
    published: str | None = None  # ISO 8601, UTC
    author: str | None = None
    summary: str | None = None
    summary_type: str | None = None
    content: str | None = None
    content_type: str | None = None

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    @classmethod
    def from_json(cls, data: str | bytes) -> FeedEntry:
        try:
            obj = json.loads(data)
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise EntryError(f"stored feed entry is not valid JSON: {exc}") from exc
        names = {f.name for f in fields(cls)}
        if not isinstance(obj, dict) or not isinstance(obj.get("key"), str):
            raise EntryError("stored feed entry has no key")
        return cls(**{k: v for k, v in obj.items() if k in names and (v is None or isinstance(v, str))})

    def text(self) -> tuple[str, str] | None:
        """(text, text_source) from the entry's own content, else its summary; None when it has neither."""
        for value, kind, source in (
            (self.content, self.content_type, "entry_content"),
            (self.summary, self.summary_type, "entry_summary"),
        ):
            if not value or not value.strip():
                continue
            text = html_fragment_text(value) if (kind or "text/html") in HTML_TYPES else value.strip()
            if text:
                return text, source
        return None
