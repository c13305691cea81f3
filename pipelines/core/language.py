"""Language identification with py3langid (model shipped inside the wheel; deterministic; ~0.1 ms/article).

Short or ambiguous texts get 'und' (undetermined) instead of a confident-looking wrong label: NLP runs
on English only, so a wrong 'en' would send a Spanish article through an English model.
"""

from __future__ import annotations

from functools import cache

from py3langid.langid import MODEL_FILE, LanguageIdentifier

UNDETERMINED = "und"
MIN_WORDS = 5
MIN_CONFIDENCE = 0.5


@cache
def _identifier() -> LanguageIdentifier:
    return LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)


def detect_language(text: str, words: int) -> tuple[str, float]:
    """(ISO 639-1 code or 'und', probability) for an article body."""
    if words < MIN_WORDS:
        return UNDETERMINED, 0.0
    code, probability = _identifier().classify(text[:10000])
    if probability < MIN_CONFIDENCE:
        return UNDETERMINED, float(probability)
    return str(code), float(probability)
