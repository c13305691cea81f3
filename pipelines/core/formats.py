"""Turn one document's bytes into a draft article, per input format.

Formats (by file extension in the seed folder, by content type elsewhere):
  text/plain      .txt   first line = headline (as in the seeds)
  text/markdown   .md    optional YAML front matter (title, date, url); markup reduced to plain text
  text/html       .html  trafilatura extraction (title, author, date, site name from the page)
  application/x-ndjson   one JSON object per line: url, title, text or html, published
  application/x-feed-entry+json   a feed entry whose page was not used: its own content or summary
  application/warc  .warc, .warc.gz   one HTML response record of a web archive (sources/warc.py): the
                  page extracted as HTML, with the record's URL and the charset its server declared

A document fetched for a feed entry carries that entry (headline, date, author, fallback text), see
_from_feed_entry.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from pipelines.core.decode import DecodeError, decode_bytes
from pipelines.core.extract import ExtractError, extract_html, html_to_str
from pipelines.core.feed_entry import FEED_ENTRY, EntryError, FeedEntry
from pipelines.core.sources.warc import WARC, is_warc, read_record

TEXT, MARKDOWN, HTML, JSONL = "text/plain", "text/markdown", "text/html", "application/x-ndjson"
CONTENT_TYPES = {
    ".txt": TEXT,
    ".text": TEXT,
    ".md": MARKDOWN,
    ".markdown": MARKDOWN,
    ".html": HTML,
    ".htm": HTML,
    ".jsonl": JSONL,
    ".ndjson": JSONL,
    ".warc": WARC,
}


def content_type_for(name: str) -> str | None:
    """The content type a seed file is read as, by its name (.warc.gz has two suffixes); None if unsupported."""
    if is_warc(name):
        return WARC
    dot = name.rfind(".")
    return CONTENT_TYPES.get(name[dot:].lower()) if dot > 0 else None


# text_source of the texts extract_html found in a web page (plain text, Markdown and JSON texts are not).
EXTRACTED_SOURCES = frozenset({"html", "page", "jsonl.html", "warc"})


class ParseError(ValueError):
    """The document is not valid in its declared format; the message names the problem."""


@dataclass
class Draft:
    """What a format yields before cleaning. `text` still holds headline and furniture for plain text."""

    text: str
    encoding: str
    text_source: str
    title: str | None = None
    url: str | None = None
    published: Any = None
    author: str | None = None
    site_name: str | None = None
    record_id: str | None = None  # a .jsonl record's own id ("id", "guid", "uuid"): its identity in its file
    language: str | None = None  # the language the source declares (<html lang>, a JSONL "language")
    # (rule, detail) of what the format set aside, listed with the cleaner's removals in articles.cleaning
    notes: list[tuple[str, str]] = field(default_factory=list)

    @property
    def extracted(self) -> bool:
        """Whether the text is a web page's body as the extractor found it (not a file's own lines)."""
        return self.text_source in EXTRACTED_SOURCES


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.DOTALL)
# Front matter holds a few fields; anything bigger is not front matter we use. YAML aliases (&a / *a) are
# refused before any object is built: nine nested aliases in 520 bytes ("billion laughs") expand to a
# billion items, 1.3 GB and 18 s in yaml.safe_load.
FRONT_MATTER_MAX_CHARS = 16 * 1024


class _FrontMatterLoader(yaml.SafeLoader):
    """yaml.SafeLoader that refuses aliases, so a document's size bounds the objects built from it."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("uses a YAML alias (*name), which front matter does not need")
        return super().compose_node(parent, index)


def front_matter(markdown: str) -> tuple[dict[str, Any], str, str | None]:
    """(fields, the rest of the document, why the front matter was ignored or None).

    Front matter that is too big, uses aliases or is not a mapping is ignored, not fatal: the article is the
    body under it, and the reason is kept (articles.cleaning)."""
    found = _FRONT_MATTER.match(markdown)
    if not found:
        return {}, markdown, None
    block, rest = found.group(1), markdown[found.end() :]
    if len(block) > FRONT_MATTER_MAX_CHARS:
        return {}, rest, f"front matter of {len(block):,} characters, over {FRONT_MATTER_MAX_CHARS:,}; ignored"
    try:
        loaded = yaml.load(block, Loader=_FrontMatterLoader)  # a SafeLoader, without aliases
    except yaml.YAMLError as exc:
        return {}, rest, f"front matter is not usable YAML ({str(exc).splitlines()[0]}); ignored"
    if not isinstance(loaded, dict):
        return {}, markdown, None  # a rule line that only looks like front matter: keep the text
    return loaded, rest, None


_MD_RULES: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"!\[[^\]]*\]\([^)]*\)"), ""),  # images
    (re.compile(r"\[([^\]]+)\]\([^)]*\)"), r"\1"),  # links keep their text
    (re.compile(r"^\s{0,3}#{1,6}\s+", re.MULTILINE), ""),  # heading markers
    (re.compile(r"^\s{0,3}>\s?", re.MULTILINE), ""),  # block quotes
    (re.compile(r"^\s*(?:[-*_]\s*){3,}$", re.MULTILINE), ""),  # horizontal rules
    (re.compile(r"^\s*[-*+]\s+", re.MULTILINE), ""),  # bullet markers
    (re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1"), r"\2"),  # bold
    (re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])"), r"\1"),  # italic
    (re.compile(r"`([^`]+)`"), r"\1"),  # inline code
)


def strip_markdown(markdown: str) -> str:
    """Markdown markup reduced to its text (links keep their words, images go)."""
    for pattern, replacement in _MD_RULES:
        markdown = pattern.sub(replacement, markdown)
    return markdown


def markdown_to_text(markdown: str) -> tuple[str, dict[str, Any]]:
    """(plain text, front-matter fields) of a Markdown article."""
    meta, body, _ = front_matter(markdown)
    return strip_markdown(body), meta


def _from_html(data: bytes, url: str | None, source: str, charset: str | None = None) -> Draft:
    markup, encoding = html_to_str(data, charset)
    page = extract_html(markup, url)
    return Draft(
        text=page.text,
        encoding=encoding,
        text_source=source,
        title=page.title,
        url=url or page.url,
        published=page.date,
        author=page.author,
        site_name=page.site_name,
        language=page.language,
        notes=list(page.notes),
    )


def _str_field(obj: dict[str, Any], *names: str) -> str | None:
    for name in names:
        value = obj.get(name)
        if isinstance(value, str) and value.strip():
            return value
    return None


def _from_jsonl_line(data: bytes) -> Draft:
    decoded = decode_bytes(data)
    try:
        obj = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        raise ParseError(f"malformed JSON: {exc.msg} at column {exc.colno}") from exc
    if not isinstance(obj, dict):
        raise ParseError(f"expected a JSON object per line, found {type(obj).__name__}")
    url = _str_field(obj, "url", "link")
    record_id = next(
        (str(v) for v in map(obj.get, ("id", "guid", "uuid")) if isinstance(v, str | int) and not isinstance(v, bool)),
        None,
    )
    title = _str_field(obj, "title", "headline")
    published = obj.get("published") or obj.get("published_at") or obj.get("date")
    text = _str_field(obj, "text", "body", "content")
    if text is not None:
        return Draft(
            text=text,
            encoding=decoded.encoding,
            text_source="jsonl.text",
            title=title,
            url=url,
            published=published,
            author=_str_field(obj, "author", "byline"),
            language=_str_field(obj, "language", "lang"),
            record_id=record_id,
        )
    html = _str_field(obj, "html")
    if html is None:
        raise ParseError("the object has neither a 'text' nor an 'html' field")
    draft = _from_html(html.encode("utf-8"), url, "jsonl.html")
    draft.title = title or draft.title
    draft.published = published or draft.published
    draft.record_id = record_id
    return draft


def _from_feed_entry(
    data: bytes, content_type: str, url: str | None, entry: FeedEntry, charset: str | None = None
) -> Draft:
    """A feed entry's article: its page when the page has article text, else the entry's own content,
    else its summary (text_source page / entry_content / entry_summary). The feed's headline, date and
    author win over the page's: the publisher wrote them for this entry, extraction only guesses."""
    draft: Draft | None = None
    if content_type == HTML:
        try:
            draft = _from_html(data, url, "page", charset)
        except (DecodeError, ExtractError):
            draft = None
    if draft is None:
        found = entry.text()
        if found is None:
            page = "the page has none" if content_type == HTML else "the page was not used (see feed_entries)"
            raise ExtractError(f"no article text: {page}, and the feed entry has neither content nor summary")
        text, source = found
        draft = Draft(text=text, encoding="utf-8", text_source=source, url=entry.link)
    draft.title = entry.title or draft.title
    draft.published = entry.published or draft.published
    draft.author = entry.author or draft.author
    return draft


def parse_document(
    data: bytes, content_type: str, url: str | None = None, entry: str | None = None, charset: str | None = None
) -> Draft:
    """Draft article from a document's bytes; raises DecodeError, ParseError or ExtractError.

    `url` is where a fetched document came from (None for files); `entry` the JSON of the feed entry a
    fetched document was made for (feed_entries.entry); `charset` the one its server declared."""
    if content_type == FEED_ENTRY or entry is not None:
        try:
            feed_entry = FeedEntry.from_json(data if content_type == FEED_ENTRY else entry or "")
        except EntryError as exc:
            raise ParseError(str(exc)) from exc
        return _from_feed_entry(data, content_type, url, feed_entry, charset)
    if content_type == JSONL:
        return _from_jsonl_line(data)
    if content_type == WARC:
        try:
            record = read_record(data)
        except ValueError as exc:
            raise ParseError(f"not a web-archive record: {exc}") from exc
        return _from_html(record.html, record.url, "warc", record.charset)
    if content_type == HTML:
        return _from_html(data, url, "html" if url is None else "page", charset)
    if content_type not in (TEXT, MARKDOWN):
        # Checked before decoding, so a fetched PDF or image is rejected for what it is.
        raise ParseError(f"unsupported content type {content_type!r}; readable: text/html, text/plain, text/markdown")
    decoded = decode_bytes(data)
    if content_type == MARKDOWN:
        meta, body, problem = front_matter(decoded.text)
        text = strip_markdown(body)
        title = meta.get("title") if isinstance(meta.get("title"), str) else None
        given_url = meta.get("url") if isinstance(meta.get("url"), str) else None
        return Draft(
            text=text,
            encoding=decoded.encoding,
            text_source="markdown",
            title=title,
            url=given_url or url,
            published=meta.get("date") or meta.get("published"),
            notes=[("front_matter_ignored", problem)] if problem else [],
        )
    return Draft(text=decoded.text, encoding=decoded.encoding, text_source="text", url=url)
