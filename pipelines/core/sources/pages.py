"""What a fetched page is, for the document made of it.

Servers mislabel pages (HTML sent as application/octet-stream or text/plain), so the bytes are sniffed
as well as the header. A page that is neither HTML nor text keeps the media type it was sent with: the
articles stage then rejects it with that type in the reason, and its bytes stay in documents.raw.
"""

from __future__ import annotations

from pipelines.core.feed_entry import HTML_TYPES
from pipelines.core.fetch.client import FetchResult
from pipelines.core.formats import HTML, MARKDOWN, TEXT

_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")


def looks_like_html(body: bytes) -> bool:
    head = body[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return head.startswith(_HTML_STARTS) or (head.startswith(b"<") and b"<html" in head)


def page_content_type(result: FetchResult) -> str:
    """documents.content_type for a fetched page: text/html, text/plain, text/markdown or as sent."""
    media = result.media_type
    if media in HTML_TYPES or looks_like_html(result.body or b""):
        return HTML
    if media in (TEXT, MARKDOWN):
        return media
    return media or "application/octet-stream"
