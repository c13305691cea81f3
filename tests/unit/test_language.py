"""Language identification that does not throw English away (issue 20.4): short, capitalised and tabular
English is English; declared languages count where the script fits; other languages stay themselves."""

from __future__ import annotations

import pytest

from pipelines.core.language import UNDETERMINED, detect_language
from pipelines.core.text import word_count

# Each of these was "und" (so never parsed) before the fallbacks: low probabilities on short or tabular text.
ENGLISH = [
    "CRICKET - ENGLISH COUNTY CHAMPIONSHIP SCORES. LONDON 1996-08-30. Leicestershire 22 points, Somerset 4. "
    "Kent 8, Essex 21",
    "Dow Jones 10,203.55 up 0.4%; Nasdaq 2,010.12 down 0.2%; FTSE 4,812.3 up 1.1%; Nikkei 11,450 flat",
    "TENNIS - RESULTS AT U.S. OPEN. NEW YORK 1996-08-28. Results of first round matches: Pete Sampras (U.S.) "
    "beat Jimmy Connors 6-2 6-3 6-4",
    "RUGBY UNION - WALES BEAT ITALY 31-22 IN CARDIFF",
]


def _language(text: str, declared: str | None = None) -> tuple[str, str | None]:
    code, _, source = detect_language(text, word_count(text), declared)
    return code, source


@pytest.mark.parametrize("text", ENGLISH)
def test_short_capitalised_and_tabular_english_is_english(text: str) -> None:
    assert _language(text)[0] == "en"


def test_the_declared_language_counts_where_the_script_fits() -> None:
    assert _language("Chelsea 2 Coventry 0, Leeds 0 Wimbledon 1", "en-GB") == ("en", "declared")
    # a page declaring English while written in Russian is Russian (the classifier is sure of it)
    russian = "Правительство России объявило о новых мерах поддержки экономики и промышленности страны."
    assert _language(russian, "en")[0] == "ru"
    assert _language("정부가 새 정책을 발표했다", None) == ("ko", "script")


@pytest.mark.parametrize(
    "text",
    [
        "El gobierno anunció nuevas medidas económicas para apoyar a las empresas del país.",
        "Die Regierung hat heute neue Maßnahmen für die Wirtschaft des Landes angekündigt.",
        "Il governo ha annunciato oggi nuove misure economiche per sostenere le imprese.",
        "O governo anunciou hoje novas medidas econômicas para apoiar as empresas.",
    ],
)
def test_other_languages_are_not_taken_for_english(text: str) -> None:
    assert _language(text)[0] != "en"


def test_too_little_text_is_undetermined() -> None:
    assert _language("Chelsea 2 Coventry 0") == (UNDETERMINED, None)
