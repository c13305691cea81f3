"""Deterministic identifiers and fingerprints.

Every row id is a hash of what identifies the thing, never a counter, so re-running a batch (or a whole
history from scratch in the same order) produces the same ids and upserts replace rather than duplicate.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

_NON_ALNUM = re.compile(r"[^\w]+", re.UNICODE)


def stable_id(*parts: str) -> str:
    """16 hex chars (64 bits) of SHA-256 over the parts; collisions are negligible below ~10^8 rows."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return digest[:16]


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fold(text: str) -> str:
    """Case- and accent-insensitive form used for comparisons ("Erdoğan" == "erdogan")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def text_fingerprint(text: str) -> str:
    """Hash of the words only: case, accents, punctuation and spacing do not make two texts different."""
    words = _NON_ALNUM.sub(" ", fold(text)).split()
    return hashlib.sha256(" ".join(words).encode("utf-8")).hexdigest()[:32]
