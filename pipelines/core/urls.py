"""Canonical URLs, so one article reached by two links is one article.

courlan normalises scheme/host case, default ports, fragments and known tracking parameters; on top of
that every `utm_*` and other click-tracking parameter is dropped and the query is sorted.
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from courlan import normalize_url

_TRACKING_PREFIXES = ("utm_", "mc_", "pk_", "hsa_", "oly_", "vero_")
_TRACKING_KEYS = {
    "fbclid",
    "gclid",
    "dclid",
    "msclkid",
    "yclid",
    "igshid",
    "mkt_tok",
    "ocid",
    "cmpid",
    "ref",
    "ref_src",
    "smid",
    "ito",
    "at_medium",
    "at_campaign",
    "_ga",
    "guccounter",
    "share",
    "s_cid",
    "spm",
    "icid",
}


def canonical_url(url: str | None) -> str | None:
    """The canonical form of an http(s) URL, or None when there is no usable URL."""
    if not url or not isinstance(url, str):
        return None
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    try:
        normalized = normalize_url(url, strict=False, trailing_slash=True)
    except (ValueError, AttributeError):
        normalized = url
    parts = urlsplit(normalized)
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(_TRACKING_PREFIXES) and key.lower() not in _TRACKING_KEYS
    ]
    path = parts.path or "/"
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), path, urlencode(sorted(query)), ""))
