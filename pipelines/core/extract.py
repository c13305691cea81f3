"""Article text and metadata out of an HTML page, with trafilatura.

One function for every HTML the pipeline sees (seed-folder .html files, JSONL `html` fields, fetched
pages), so extraction quality is measured once (`make eval`) and holds everywhere.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass

import lxml.etree
import lxml.html
import trafilatura

from pipelines.core.decode import BOMS, decode_bytes, plausible, utf16_without_bom

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


def _codec(label: str | None) -> str | None:
    """Python's codec for a charset label, None when unknown. A page that can declare UTF-16 in a <meta>
    is not UTF-16 (the tag was readable as ASCII): browsers read such pages as UTF-8, and so do we."""
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'").lower()).name
    except LookupError:
        return None
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


def html_to_str(data: bytes, http_charset: str | None = None) -> tuple[str, str]:
    """(markup, encoding) of a page's bytes; DecodeError when no reading of them is plausible.

    Evidence, strongest first: a byte-order mark or UTF-16's NUL pattern; valid UTF-8 with non-ASCII
    characters (legacy bytes almost never form valid multi-byte sequences, so a declaration that says
    otherwise is wrong: a UTF-8 page whose <meta> says windows-1251 would otherwise read "CafГ© crГЁme");
    the charset the server declared (HTTP Content-Type), then the page's own <meta>, each used only when
    its reading is plausible; last, the detection of decode_bytes (cp1252/cp1251, then charset-normalizer).
    """
    if data.startswith(tuple(bom for bom, _ in BOMS)) or utf16_without_bom(data):
        decoded = decode_bytes(data)
        return decoded.text, decoded.encoding
    if not data.isascii():
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    meta = _META_CHARSET.search(data[:4096])
    for label in (http_charset, meta.group(1).decode("ascii", "replace") if meta else None):
        encoding = _codec(label)
        if encoding is None:
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if plausible(text):
            return text, encoding
    decoded = decode_bytes(data)
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
