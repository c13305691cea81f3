import codecs

import pytest

from pipelines.core.decode import DecodeError, decode_bytes

FRENCH = "Café au lait, naïve résumé: Zoë and Señor García met à Genève — “quoted”."
RUSSIAN = "Министерство обороны России заявило, что военная полиция прибыла в район."


@pytest.mark.parametrize(
    ("data", "encoding", "text"),
    [
        (FRENCH.encode("utf-8"), "utf-8", FRENCH),
        (codecs.BOM_UTF8 + FRENCH.encode("utf-8"), "utf-8-sig", FRENCH),
        (FRENCH.encode("utf-16"), "utf-16-le", FRENCH),  # with BOM
        (codecs.BOM_UTF16_BE + FRENCH.encode("utf-16-be"), "utf-16-be", FRENCH),
        ("Plain ASCII news text without a BOM".encode("utf-16-le"), "utf-16-le", "Plain ASCII news text without a BOM"),
        (FRENCH.encode("cp1252"), "cp1252", FRENCH),
        (RUSSIAN.encode("cp1251"), "cp1251", RUSSIAN),
        (
            "Talks resume — “a step forward”, officials said.".encode("cp1252"),
            "cp1252",
            "Talks resume — “a step forward”, officials said.",
        ),
    ],
)
def test_decodes_without_mangling(data: bytes, encoding: str, text: str) -> None:
    decoded = decode_bytes(data)
    assert decoded.encoding == encoding
    assert decoded.text == text


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \n\t\n", "empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)), "PNG image"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3", "PDF"),
        ("Headline\n\nCafé “quoted” then broken ".encode() + b"\xe2\x80 and more", "invalid UTF-8 at byte"),
        (bytes(range(1, 32)) * 20, "binary content"),
    ],
)
def test_rejects_with_reason(data: bytes, reason: str) -> None:
    with pytest.raises(DecodeError, match=reason):
        decode_bytes(data)


def test_refuses_to_guess_when_no_code_page_reads_it() -> None:
    # cp1252 makes words of mostly accented letters ("aéèê"), cp1251 mixes scripts ("aйик"): refuse.
    with pytest.raises(DecodeError, match="re-save the file as UTF-8"):
        decode_bytes(b"a\xe9\xe8\xea b\xf0\xe0\xe4 " * 5)


def test_short_cyrillic_is_read_as_cp1251() -> None:
    assert decode_bytes(bytes([0xC0, 0xE9, 0x20, 0xF0, 0xE0, 0xE4])).text == "Ай рад"
