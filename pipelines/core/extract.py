"""Article text and metadata out of an HTML page, with trafilatura.

One function for every HTML the pipeline sees (seed-folder .html files, JSONL `html` fields, fetched
pages), so extraction quality is measured once (`make eval`) and holds everywhere.
"""

from __future__ import annotations

import codecs
import html
import re
from dataclasses import dataclass, field
from typing import Any

import lxml.etree
import lxml.html
import trafilatura

from pipelines.core.decode import BOMS, decode_bytes, plausible, utf16_without_bom
from pipelines.core.titles import clean_title, headline_source, page_h1s

# Elements that start a new paragraph (or line, for br) when an HTML fragment is turned into text.
_BLOCK_TAGS = frozenset(
    {"p", "div", "section", "article", "blockquote", "pre", "ul", "ol", "li", "dl", "dt", "dd", "table", "tr"}
    | {"h1", "h2", "h3", "h4", "h5", "h6", "figure", "figcaption", "header", "footer", "aside", "hr"}
)
_NOT_TEXT = "//script | //style | //noscript | //template"
_PARAGRAPH_START = re.compile(r"<p[\s>]", re.IGNORECASE)
_PARAGRAPH_END = re.compile(r"</p\s*>", re.IGNORECASE)
_TAGS = re.compile(r"<[^>]+>")
# Fewer words than this between what precision mode kept and the page's paragraphs is not worth a second run.
_FALLBACK_MIN_WORDS = 150
# The balanced extraction replaces the precise one when the precise one lost this share of its words.
MAX_RECALL_LOSS = 0.5
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
    notes: list[tuple[str, str]] = field(default_factory=list)


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


def _extract(markup: str, url: str | None, precision: bool, metadata: bool = True) -> Any:
    """trafilatura's extraction. The balanced second look skips the metadata (a third of the cost) when the
    first run has read it."""
    return trafilatura.bare_extraction(
        markup,
        url=url,
        with_metadata=metadata,
        include_comments=False,
        include_tables=True,
        favor_precision=precision,
        deduplicate=False,
    )


def _text_of(doc: Any) -> str:
    return (getattr(doc, "text", None) or "").strip() if doc is not None else ""


def _paragraph_words(markup: str) -> int:
    """Words inside the page's <p> elements: a cheap upper estimate of its running text (str.find from
    each opening tag: a regular expression spanning the paragraphs cost 5% of the extraction's time)."""
    words = 0
    for opening in _PARAGRAPH_START.finditer(markup):
        start = markup.find(">", opening.start()) + 1
        end = _PARAGRAPH_END.search(markup, start)
        if not start or end is None:
            break
        words += len(_TAGS.sub(" ", markup[start : end.start()]).split())
    return words


def worth_a_second_look(kept_words: int, paragraph_words: int) -> bool:
    """Whether precision mode may have dropped most of the body: it kept under a third of the words in the
    page's paragraphs, and at least _FALLBACK_MIN_WORDS fewer."""
    return kept_words < paragraph_words / 3 and paragraph_words - kept_words >= _FALLBACK_MIN_WORDS


def recall_loss(kept_words: int, fuller_words: int) -> float:
    """Share of the fuller extraction's words that precision mode lost (0 when it lost none)."""
    return 1 - kept_words / fuller_words if fuller_words > kept_words else 0.0


def extract_html(markup: str, url: str | None = None) -> Extracted:
    """Main text plus title/author/date/site/language of one page; ExtractError when there is none.

    Precision mode keeps less boilerplate, but sometimes only a page's first paragraph (117 of 1,965
    words). When its text holds under a third of the words in the page's paragraphs, the balanced
    extraction is run too, and used when precision mode lost half its words or more: the recall it
    lost on that page is then recorded in `notes` (articles.cleaning). On the benchmark's pages the second
    run happens for about one page in thirty, so the cost stays small."""
    doc = _extract(markup, url, precision=True)
    text = _text_of(doc)
    notes: list[tuple[str, str]] = []
    kept = len(text.split())
    if worth_a_second_look(kept, _paragraph_words(markup)):
        fuller = _extract(markup, url, precision=False, metadata=doc is None)
        fuller_text = _text_of(fuller)
        found = len(fuller_text.split())
        if recall_loss(kept, found) >= MAX_RECALL_LOSS:
            notes.append(
                ("recall_fallback", f"precision extraction kept {kept} of {found} words; the balanced one used")
            )
            doc, text = doc if doc is not None else fuller, fuller_text
    if not text:
        raise ExtractError("no article text found in the HTML (page empty, script-only or not an article)")
    site_name = doc.sitename or None
    h1s = page_h1s(markup)
    title = clean_title(
        headline_source(markup, doc.title or None, h1s), site_name=site_name, url=url or doc.url, h1s=h1s
    )
    return Extracted(
        text=text,
        title=title,
        author=doc.author or None,
        date=doc.date or None,
        site_name=site_name,
        language=doc.language or None,
        url=doc.url or None,
        notes=notes,
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
