"""Article text and metadata out of an HTML page, with trafilatura.

One function for every HTML the pipeline sees (seed-folder .html files, JSONL `html` fields, fetched
pages), so extraction quality is measured once (`make eval`) and holds everywhere.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
import trafilatura

from pipelines.core.decode import DecodeError, decode_bytes

# Elements that start a new paragraph (or line, for br) when an HTML fragment is turned into text.
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "header", "footer", "aside", "hr"}
)
_NOT_TEXT = "//script | //style | //noscript | //template"
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


def html_fragment_text(markup: str) -> str:
    """Every word of an HTML fragment (a feed entry's content or summary), paragraphs kept apart.

    Unlike extract_html this removes nothing but markup and scripts: a feed entry's content is the
    article as its publisher chose to send it, with no navigation or furniture to strip.
    """
    if "<" not in markup:
        return html.unescape(markup).strip()
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (lxml.etree.ParserError, ValueError):
        return ""
    for node in root.xpath(_NOT_TEXT):
        node.drop_tree()
    for node in root.iter():
        if isinstance(node.tag, str) and node.tag in _BLOCK_TAGS:
            node.tail = "\n\n" + (node.tail or "")
            node.text = "\n\n" + (node.text or "")
        elif node.tag == "br":
            node.tail = "\n" + (node.tail or "")
    text = re.sub(r"[ \t]*\n[ \t]*", "\n", root.text_content())
    return re.sub(r"\n{3,}", "\n\n", text).strip()
