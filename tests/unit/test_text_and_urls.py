from pipelines.core.ids import fold, text_fingerprint
from pipelines.core.text import normalize_text, word_count
from pipelines.core.urls import canonical_url


def test_normalize_keeps_words_and_quotes() -> None:
    raw = "Title\r\n\r\n\r\nA\u00a0line  with\u200bzero-width\tand «guillemets» “quotes”.  \n\n\nEnd\u00ad."
    assert normalize_text(raw) == "Title\n\nA line withzero-width and «guillemets» “quotes”.\n\nEnd."


def test_normalize_composes_unicode() -> None:
    assert normalize_text("Erdog\u0306an") == "Erdoğan"


def test_fingerprint_ignores_case_accents_punctuation() -> None:
    assert text_fingerprint("Erdoğan said: “No.”") == text_fingerprint("erdogan said no")
    assert text_fingerprint("Erdoğan said no") != text_fingerprint("Erdoğan said yes")
    assert fold("ÇAVUŞOĞLU") == "cavusoglu"


def test_word_count() -> None:
    assert word_count("Russia's forces, U.S.-backed — 15 Kurdish militants.") == 6


def test_canonical_url() -> None:
    assert (
        canonical_url("HTTPS://Example.COM:443/a/b?utm_source=x&id=3&fbclid=1#frag") == "https://example.com/a/b?id=3"
    )
    assert canonical_url("https://example.com/a?b=2&a=1") == canonical_url("https://example.com/a?a=1&b=2")
    assert canonical_url("file:///etc/passwd") is None
    assert canonical_url("javascript:alert(1)") is None
    assert canonical_url(None) is None
