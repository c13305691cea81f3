"""Article text and metadata out of an HTML page, with trafilatura.

One function for every HTML the pipeline sees (seed-folder .html files, JSONL `html` fields, fetched
pages), so extraction quality is measured once (`make eval`) and holds everywhere.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura

from pipelines.core.decode import DecodeError, decode_bytes

_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


class ExtractError(ValueError):
    """No article text could be found in the page."""


@dataclass(frozen=True)
class Extracted:
    text: str
    title: str | None
    author: str | None
    date: str | None
    site_name: str | None
    language: str | None
    url: str | None


def html_to_str(data: bytes) -> tuple[str, str]:
    """(markup, encoding): the page's declared charset when it decodes cleanly, else our own detection."""
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        name = declared.group(1).decode("ascii", "replace").lower()
        try:
            return data.decode(name), name
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        decoded = decode_bytes(data)
    except DecodeError:
        raise
    return decoded.text, decoded.encoding


def extract_html(markup: str, url: str | None = None) -> Extracted:
    """Main text plus title/author/date/site/language of one page; ExtractError when there is none."""
    doc = trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=True,
        include_comments=False,
        include_tables=True,
        favor_precision=True,
        deduplicate=False,
    )
    text = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not text:
        raise ExtractError("no article text found in the HTML (page empty, script-only or not an article)")
    return Extracted(
        text=text,
        title=doc.title or None,
        author=doc.author or None,
        date=doc.date or None,
        site_name=doc.sitename or None,
        language=doc.language or None,
        url=doc.url or None,
    )
