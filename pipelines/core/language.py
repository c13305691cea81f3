"""Which language an article is in, and so whether it is parsed (only English is: the model is English).

The classifier (py3langid, model shipped in the wheel, deterministic) reads the first 1,000 characters. It
is right on running prose, but short, capitalised or tabular English (sports results, standings, market
tables, headlines in capitals) often gets a low score or another language, and an article tagged so is
never parsed. So the rule, in order (articles.language_source says which step decided):

1. Text mostly in capitals is classified in lower case (the classifier learned from ordinary text).
2. classifier: a probability of at least 0.9, or at least 0.5 on 20 words or more, decides.
3. declared: the language the page, feed entry or line declares (<html lang>, a JSONL "language"), when
   the text is written in that language's script: a site's template may say "en" for every page, so a
   confident classifier (step 2) comes first.
4. classifier: English as the classifier's first answer on 5 words or more of Latin script, whatever
   its probability. Short English gets low probabilities (2,225 BBC headlines: 810 over 0.5) but English
   first (1,856); on 111 passages of 6 to 20 words of the benchmark's 17 non-English pages, English
   never came first.
5. stop_words: Latin-script text where common English function words ("the", "and", "of", "with"…)
   are at least 10% of the words, two different ones at least: English, whatever names and numbers
   surround them.
6. script: text in a script only one language here is written in (Hangul: ko, kana: ja, Greek: el,
   Hebrew: he, Thai: th, Georgian: ka, Armenian: hy).
7. Otherwise the classifier's answer at 0.5 or more on 5 words or more, else und (undetermined): a wrong
   "en" would send a Spanish article through an English model.
"""

from __future__ import annotations

import re
import unicodedata
from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

UNDETERMINED = "und"
MIN_WORDS = 5
MIN_CONFIDENCE = 0.5
CONFIDENT = 0.9
CONFIDENT_WORDS = 20
# The classifier reads the start of the text only: its time grows with the length, its answer does not.
# On the 2,225 BBC articles and the 181 extraction pages (8 languages) the first 1,000 characters give the
# same language as the first 10,000, in 0.42 instead of 1.15 ms per article.
SAMPLE_CHARS = 1_000
STOP_WORD_SHARE = 0.10
# Function words that are common in English and rare as words of other Latin-script languages ("a", "in",
# "to", "on", "die" are words elsewhere too, so they are not here).
_ENGLISH = frozenset(
    (
        "the",
        "and",
        "of",
        "with",
        "that",
        "this",
        "from",
        "have",
        "has",
        "had",
        "was",
        "were",
        "been",
        "which",
        "their",
        "they",
        "would",
        "could",
        "should",
        "will",
        "after",
        "before",
        "about",
        "into",
        "over",
        "under",
        "between",
        "against",
        "said",
        "says",
        "for",
        "its",
        "are",
        "is",
        "not",
        "but",
        "than",
        "who",
        "when",
    )
)
_WORD = re.compile(r"[^\W\d_]+")
# script -> language, for scripts one language here is written in
_SCRIPT_LANGUAGE = {"HANGUL": "ko", "HIRAGANA": "ja", "KATAKANA": "ja", "GREEK": "el", "HEBREW": "he"} | {
    "THAI": "th",
    "GEORGIAN": "ka",
    "ARMENIAN": "hy",
}
# Declared languages whose script is not Latin (the others are taken as Latin-script languages).
_DECLARED_SCRIPTS = {"ru": "CYRILLIC", "uk": "CYRILLIC", "bg": "CYRILLIC", "sr": "CYRILLIC", "mk": "CYRILLIC"} | {
    "be": "CYRILLIC",
    "kk": "CYRILLIC",
    "el": "GREEK",
    "ar": "ARABIC",
    "fa": "ARABIC",
    "ur": "ARABIC",
    "he": "HEBREW",
    "zh": "CJK",
    "ja": "CJK",
    "ko": "HANGUL",
    "hi": "DEVANAGARI",
    "mr": "DEVANAGARI",
    "ne": "DEVANAGARI",
    "th": "THAI",
    "ka": "GEORGIAN",
    "hy": "ARMENIAN",
}


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def _script_of(ch: str) -> str:
    name = unicodedata.name(ch, "")
    if name.startswith("CJK"):
        return "CJK"
    return name.split(" ", 1)[0]


def _main_script(sample: str) -> tuple[str | None, float]:
    """The script most letters of the sample are in, and their share."""
    counts: dict[str, int] = {}
    letters = 0
    for ch in sample:
        if ch.isalpha():
            letters += 1
            script = _script_of(ch)
            counts[script] = counts.get(script, 0) + 1
    if not letters:
        return None, 0.0
    script = max(counts, key=counts.__getitem__)
    return script, counts[script] / letters


def _declared(code: str | None) -> str | None:
    """The primary subtag of a declared language ("en" of "en-GB"), if it is one."""
    if not code:
        return None
    primary = re.split(r"[-_]", code.strip().lower(), maxsplit=1)[0]
    return primary if re.fullmatch(r"[a-z]{2,3}", primary) else None


def _fits_script(code: str, script: str | None) -> bool:
    wanted = _DECLARED_SCRIPTS.get(code, "LATIN")
    if wanted == "CJK":
        return script in ("CJK", "HIRAGANA", "KATAKANA")
    return script == wanted


def _english_share(sample: str) -> tuple[float, int]:
    words = [w.lower() for w in _WORD.findall(sample)]
    hits = [w for w in words if w in _ENGLISH]
    return (len(hits) / len(words) if words else 0.0), len(set(hits))


def detect_language(text: str, words: int, declared: str | None = None) -> tuple[str, float, str | None]:
    """(ISO 639-1 code or 'und', the classifier's probability, which rule decided) for an article body."""
    sample = text[:SAMPLE_CHARS]
    cased = [ch for ch in sample if ch.isalpha() and ch.lower() != ch.upper()]
    if cased and sum(ch.isupper() for ch in cased) > 0.6 * len(cased):
        sample = sample.lower()
    code, probability = _identifier().classify(sample)
    code, probability = str(code), float(probability)
    if words >= MIN_WORDS and (
        probability >= CONFIDENT or (probability >= MIN_CONFIDENCE and words >= CONFIDENT_WORDS)
    ):
        return code, probability, "classifier"
    script, share = _main_script(sample)
    stated = _declared(declared)
    if stated and script and _fits_script(stated, script):
        return stated, probability, "declared"
    if code == "en" and words >= MIN_WORDS and script == "LATIN":
        return "en", probability, "classifier"
    if script == "LATIN":
        ratio, distinct = _english_share(sample)
        if ratio >= STOP_WORD_SHARE and distinct >= 2:
            return "en", probability, "stop_words"
    if script in _SCRIPT_LANGUAGE and share >= 0.5:
        return _SCRIPT_LANGUAGE[script], probability, "script"
    if words >= MIN_WORDS and probability >= MIN_CONFIDENCE:
        return code, probability, "classifier"
    return UNDETERMINED, probability, None
