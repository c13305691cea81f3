"""A page's headline as its publisher wrote it, without the site furniture around it.

A page's <title> and og:title often carry the site's name ("… | CNN Politics", "…-新华网", "LinkNaija |
…") or a section label ("Opinion | …", "… | World | News | Express.co.uk"). Which parts are furniture is
read from the page's own metadata, never from a list of sites: a part at either end that is the site's
name (og:site_name, or the name in the page's address) is removed, and when the page's <h1> is the title
less some short parts at its ends, those parts are removed too. A part that neither the site name nor
the <h1> marks as furniture stays, so no word of a real headline is dropped: a title "Fact Check: Is An
'Oxygen Bar'…" keeps its prefix when the <h1> keeps it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from urllib.parse import urlsplit

# Separators between a headline and its furniture: spaced dashes, bars, bullets, colons, slashes; a colon
# after a word ("Analysis: …"); a bar or a dash without spaces before a last word (CJK titles: "标题-新华网").
# A part is only ever dropped when the site name or the <h1> says it is furniture.
_SEPARATOR = re.compile(
    r"\s+(?:[|\-–—:·•»/]|::)\s+|(?<=\S):\s+|\s*[|｜]\s*|(?<=\S)[-–—_](?=[^\W\d_]*$)|(?<=^[^\W\d_]{2})[-–—_](?=\S)"
)
_SECTION_MAX_WORDS = 3
_H1 = re.compile(r"<h1\b[^>]*>(.*?)</h1\s*>", re.IGNORECASE | re.DOTALL)
_HTML_TITLE = re.compile(r"<title\b[^>]*>(.*?)</title\s*>", re.IGNORECASE | re.DOTALL)
# A headline the page declares in its metadata (Open Graph, Twitter card, <meta name=title>, JSON-LD).
_DECLARED_TITLE = re.compile(
    r"""<meta[^>]+(?:property|name)\s*=\s*["']?(?:og:title|twitter:title|title|dc\.title)["'\s>]|"headline"\s*:""",
    re.IGNORECASE,
)
_TAGS = re.compile(r"<[^>]+>")
_COMMON_HOST_LABELS = frozenset({"www", "m", "amp", "news", "com", "org", "net", "co", "gov", "edu", "ac"})


def _key(text: str) -> str:
    """Letters and digits only, case and accents folded: how names and headlines are compared."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in folded if ch.isalnum())


def page_h1s(markup: str, limit: int = 3) -> list[str]:
    """The text of the first <h1> elements of a page (a regular expression: cheaper than a second parse)."""
    found = []
    for match in _H1.finditer(markup):
        text = _text(match.group(1))
        if text:
            found.append(text)
        if len(found) >= limit:
            break
    return found


def _text(fragment: str) -> str:
    return " ".join(html.unescape(_TAGS.sub(" ", fragment)).split())


def headline_source(markup: str, extracted: str | None, h1s: list[str]) -> str | None:
    """The title to clean: the extractor's when the page declares one in its metadata; else the page's
    single <h1> when the <title> holds most of its words; else the whole <title>. Without declared metadata
    trafilatura keeps one part of the <title> cut at its first separator ("LinkNaija" of "LinkNaija |
    Buhari signs…", "Self-driving cars" of "Self-driving cars - and the risks"), or an <h1> that is the
    site's logo: clean_title then cuts only what the metadata marks as furniture."""
    if extracted and _DECLARED_TITLE.search(markup):
        return extracted
    found = _HTML_TITLE.search(markup)
    whole = _text(found.group(1)) if found else ""
    if not whole:
        return extracted
    if extracted and extracted in h1s and _shares_most_words(extracted, whole):
        return extracted
    return whole


def _shares_most_words(heading: str, title: str) -> bool:
    """Whether most words of the heading are in the title: the same headline, not the site's logo."""
    words = {_key(w) for w in heading.split()} - {""}
    return bool(words) and len(words & {_key(w) for w in title.split()}) >= len(words) / 2


def _host_names(url: str | None) -> list[str]:
    """Names a site is known by in its address: "sportsnet.ca" gives "sportsnet" and "sportsnet.ca"."""
    host = (urlsplit(url).hostname or "") if url else ""
    labels = [label for label in host.split(".") if label]
    if len(labels) < 2:
        return []
    names = [".".join(labels[-2:]), ".".join(labels[-3:]) if len(labels) > 2 else ""]
    names += [label for label in labels[:-1] if label not in _COMMON_HOST_LABELS and len(label) >= 3]
    return [n for n in names if n]


def _is_site(part: str, names: list[str]) -> bool:
    key = _key(part)
    if len(key) < 2:
        return False
    for name in names:
        other = _key(name)
        if not other:
            continue
        if key == other:
            return True
        shorter, longer = sorted((key, other), key=len)
        if len(shorter) >= 4 and shorter in longer and len(shorter) >= 0.6 * len(longer):
            return True
    return False


def _parts(title: str) -> list[str]:
    """The title cut at its separators (the separators are dropped)."""
    return [p.strip() for p in _SEPARATOR.split(title) if p and p.strip()]


def _words(text: str) -> int:
    return len(text.split())


def clean_title(title: str | None, *, site_name: str | None, url: str | None, h1s: list[str]) -> str | None:
    """The headline of `title` without site names and section labels, as the page's metadata shows them."""
    if not title:
        return title
    names = [n for n in (site_name, *_host_names(url)) if n]
    cleaned = title.strip()
    # The whole site name at an end (it may hold a separator itself: "Remember 80/90 - Memorabilia anni").
    for name in names:
        cleaned = _without_name_at_ends(cleaned, name)
    every_part = _parts(cleaned)
    parts = list(every_part)
    while len(parts) > 1 and _is_site(parts[-1], names):
        parts.pop()
    while len(parts) > 1 and _is_site(parts[0], names):
        parts.pop(0)
    if len(parts) > 1:
        parts = _confirmed_by_h1(parts, h1s) or parts
    if len(parts) == len(every_part):
        return cleaned if _key(cleaned) else title
    return _rejoin(cleaned, parts)


_SEPARATOR_CHARS = "|-–—:·•»_"


def _without_name_at_ends(title: str, name: str) -> str:
    """The title less `name` at its start or end where a separator sets it off (plain string work: a
    pattern compiled per name cost more than the rest of the title's cleaning)."""
    folded, wanted = title.casefold(), name.casefold().strip()
    if wanted and folded.endswith(wanted):
        head = title[: len(title) - len(wanted)].rstrip()
        if head[-1:] in _SEPARATOR_CHARS and _key(head.rstrip(_SEPARATOR_CHARS + " ")):
            title = head.rstrip(_SEPARATOR_CHARS + " ")
            folded = title.casefold()
    if wanted and folded.startswith(wanted):
        tail = title[len(wanted) :].lstrip()
        if tail[:1] in _SEPARATOR_CHARS and _key(tail.lstrip(_SEPARATOR_CHARS + " ")):
            title = tail.lstrip(_SEPARATOR_CHARS + " ")
    return title


def _confirmed_by_h1(parts: list[str], h1s: list[str]) -> list[str] | None:
    """The run of parts that an <h1> spells out, when the parts left over are short (section labels)."""
    keys = [_key(p) for p in parts]
    for h1 in h1s:
        wanted = _key(h1)
        if not wanted:
            continue
        for start in range(len(parts)):
            for end in range(len(parts), start, -1):
                if (start, end) == (0, len(parts)) or "".join(keys[start:end]) != wanted:
                    continue
                rest = parts[:start] + parts[end:]
                if all(_words(p) <= _SECTION_MAX_WORDS for p in rest):
                    return parts[start:end]
    return None


def _rejoin(title: str, parts: list[str]) -> str:
    """The kept parts as the title writes them, separators between them included."""
    first, last = parts[0], parts[-1]
    start = title.find(first)
    end = title.rfind(last)
    if start < 0 or end < 0 or end + len(last) <= start:
        return " ".join(parts)
    return title[start : end + len(last)].strip()
