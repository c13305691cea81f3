"""How a written name becomes a comparable key, and when a short name is part of a full one.

Every entity rule compares names through these functions, so the spelling variants that wire copy,
translations and transliterations produce compare equal everywhere:

- `name_key` folds case and accents ("Erdoğan" = "erdogan"), drops apostrophes ("People's" = "peoples")
  and reads any other punctuation as a space ("al-Assad" = "al assad").
- `compact_key` also drops the spaces, for place names whose word breaks vary ("Deir ez-Zor",
  "Deir ezzor", "Deir-ez-Zor").
- `is_short_form` says whether "Erdogan" or "Tayyip Erdogan" can be a short form of
  "Recep Tayyip Erdogan": its words (name particles such as "al" aside) all occur in the full name, and
  it ends with the same surname. First names alone ("Vladimir") never match, which keeps the rule safe.

The word lists (titles, particles, determiners, groups) are data in data/names.yaml.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources

from pipelines.core import packaged_yaml
from pipelines.core.ids import fold

_APOSTROPHES = re.compile(r"['’ʼ`´]")
_NON_ALNUM = re.compile(r"[\W_]+")
_LETTERS = re.compile(r"[^\W\d_]")
_ASCII_NON_ALNUM = str.maketrans("", "", "".join(chr(i) for i in range(128) if not chr(i).isalnum()))


@cache
def _word_lists() -> dict[str, frozenset[str]]:
    data = packaged_yaml.load(resources.files("pipelines.core.nlp.data").joinpath("names.yaml").read_text("utf-8"))
    return {name: frozenset(fold(str(w)) for w in words) for name, words in data.items()}


def titles() -> frozenset[str]:
    """Title and role words ("president", "minister", "counterpart"), folded."""
    return _word_lists()["titles"]


def particles() -> frozenset[str]:
    """Name particles ("al", "bin", "van"), folded."""
    return _word_lists()["particles"]


def groups() -> frozenset[str]:
    """Peoples and groups that are not one country ("kurdish", "sunni"), folded."""
    return _word_lists()["groups"]


def determiners() -> frozenset[str]:
    """Words that open a mention without being part of the name ("the")."""
    return _word_lists()["determiners"]


def name_key(text: str) -> str:
    """Case-, accent- and punctuation-insensitive form of a name: "People's Protection Units" →
    "peoples protection units", "Bashar al-Assad" → "bashar al assad"."""
    folded = text.lower() if text.isascii() else fold(text)
    return _NON_ALNUM.sub(" ", _APOSTROPHES.sub("", folded)).strip()


def compact_key(text: str) -> str:
    """name_key without spaces: "Deir ez-Zor", "Deir ezzor" and "Deir-ez-Zor" are all "deirezzor"."""
    if text.isascii():  # the same result, fast: the gazetteer index keys 170,000 names
        return text.lower().translate(_ASCII_NON_ALNUM)
    return name_key(text).replace(" ", "")


def name_words(text: str) -> tuple[str, ...]:
    return tuple(name_key(text).split())


def is_acronym(text: str) -> bool:
    """An abbreviation written in capitals ("YPG", "U.S.", "PKK"): at least two letters, all upper case."""
    letters = _LETTERS.findall(text)
    return len(letters) >= 2 and all(ch.isupper() for ch in letters) and len(text) <= 12


def is_short_form(short: tuple[str, ...], full: tuple[str, ...]) -> bool:
    """Whether the name words `short` can stand for the person named `full` (see module docstring)."""
    if not short or len(short) >= len(full) or short[-1] != full[-1]:
        return False
    kept = [w for w in short if w not in particles()]
    return bool(kept) and set(kept) <= set(full)
