"""Unicode and whitespace normalisation that never changes a word.

What changes: line endings, exotic spaces (NBSP, thin space…) to plain spaces, runs of spaces, invisible
format characters (zero-width space, BOM, soft hyphen), C0 control characters, and NFC composition.
What never changes: letters, digits, quotes («», “”), dashes, and punctuation.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that only ever split or hide words: zero-width space/joiner family, word joiner,
# BOM, soft hyphen. ZWNJ (U+200C) stays: it is meaningful in Persian and other scripts.
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200d\u2060\ufeff\u00ad"), None)
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_SPACES = re.compile(r"[^\S\n]+")
_WORDS = re.compile(r"\w+(?:[’'\-.]+\w+)*", re.UNICODE)
# Sentence end: terminal punctuation (optionally inside a closing quote/bracket) followed by a space and
# an uppercase letter or opening quote. Good enough for titles and standfirsts, not used for NLP.
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"'”’»)\]]*\s+(?=[\"“«‘(\[]?[A-Z0-9À-ÖØ-ÞА-Я])")


def normalize_text(text: str) -> str:
    """Canonical form of a text: NFC, '\\n' line ends, single spaces, stripped lines, ≤1 blank line."""
    text = unicodedata.normalize("NFC", text)
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u2028", "\n").replace("\u2029", "\n\n")
    text = text.translate(_INVISIBLE)
    text = _CONTROL.sub("", text.replace("\t", " "))
    text = _SPACES.sub(" ", text)
    lines = [line.strip() for line in text.split("\n")]
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def word_count(text: str) -> int:
    return len(_WORDS.findall(text))


def split_sentences(text: str) -> list[str]:
    return [part.strip() for part in _SENTENCE_END.split(text) if part.strip()]


def comparable(line: str) -> str:
    """Form used to decide that two lines say the same thing (repeated headline/standfirst)."""
    return " ".join(_WORDS.findall(line.casefold()))
