"""Bytes to text, refusing to guess when a guess would mangle the words.

Order of evidence: binary signatures and control bytes (reject), byte-order marks, strict UTF-8, UTF-16
without a BOM (NUL pattern), then legacy code pages. For the legacy case, general-purpose detectors
happily call French cp1252 "cp1250" and turn "naïve" into "naďve"; instead the common single-byte code
pages (cp1252, cp1251) are decoded and scored on how plausible their words are (no words mixing
scripts, no words made mostly of accented letters), and a clear winner is required. Only when neither
reads plausibly is charset-normalizer asked (Shift_JIS, GB18030, ISO-8859-7…), and its answer must pass
the same plausibility test: a guess that would be mojibake is still refused.
"""

from __future__ import annotations

import codecs
import itertools
import re
import unicodedata
from dataclasses import dataclass

from charset_normalizer import from_bytes

# (signature, description) of formats that are never article text.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"%PDF-", "a PDF document"),
    (b"PK\x03\x04", "a ZIP archive (or DOCX/XLSX/EPUB)"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"BZh", "a bzip2 archive"),
    (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7z archive"),
    (b"\x7fELF", "an executable (ELF)"),
    (b"RIFF", "a RIFF media file"),
    (b"OggS", "an Ogg media file"),
    (b"ID3", "an MP3 file"),
    (b"\x00\x00\x00\x18ftyp", "an MP4 video"),
    (b"\x00\x00\x00\x20ftyp", "an MP4 video"),
    (b"SQLite format 3\x00", "an SQLite database"),
)

BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Legacy code pages we accept, in order of preference when scores tie.
LEGACY_ENCODINGS: tuple[str, ...] = ("cp1252", "cp1251")

_ALLOWED_CONTROLS = {0x09, 0x0A, 0x0C, 0x0D}
# Share of words with non-ASCII letters that may look wrong (mixed scripts, mostly accents) in a decoding.
_MAX_IMPLAUSIBILITY = 0.2
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)


class DecodeError(ValueError):
    """The bytes are not text we can read without mangling it; the message says why and what to do."""


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str


def charset_param(content_type: str | None) -> str | None:
    """The charset parameter of a Content-Type header ("koi8-r" of "text/html; charset=KOI8-R"), if any."""
    for param in (content_type or "").split(";")[1:]:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'").lower()
    return None


def sniff_binary(data: bytes) -> str | None:
    """Description of a known binary format at the start of `data`, else None."""
    for signature, description in _BINARY_SIGNATURES:
        if data.startswith(signature):
            return description
    return None


def _control_ratio(text: str) -> float:
    sample = text[:20000]
    if not sample:
        return 0.0
    bad = sum(1 for ch in sample if ord(ch) < 32 and ord(ch) not in _ALLOWED_CONTROLS)
    return bad / len(sample)


def utf16_without_bom(data: bytes) -> str | None:
    """'utf-16-le'/'utf-16-be' when every other byte is NUL, as in ASCII-range UTF-16 text."""
    sample = data[:4000]
    if len(sample) < 8 or len(sample) % 2:
        return None
    evens, odds = sample[0::2], sample[1::2]
    if odds.count(0) > 0.9 * len(odds) and evens.count(0) < 0.1 * len(evens):
        return "utf-16-le"
    if evens.count(0) > 0.9 * len(evens) and odds.count(0) < 0.1 * len(odds):
        return "utf-16-be"
    return None


# (first code point of a block, script) in ascending order; a word whose letters come from two of these
# is mojibake (or two words run together, which real text rarely does).
_SCRIPT_BLOCKS: tuple[tuple[int, str], ...] = (
    (0x0000, "latin"),
    (0x0250, "other"),
    (0x0370, "greek"),
    (0x0400, "cyrillic"),
    (0x0530, "other"),
    (0x0590, "hebrew"),
    (0x0600, "arabic"),
    (0x0700, "other"),
    (0x1E00, "latin"),
    (0x2000, "other"),
    (0x3040, "cjk"),  # kana, Han and Hangul: Japanese words mix kana and Han
    (0xA000, "other"),
    (0xAC00, "cjk"),
    (0xD7B0, "other"),
    (0xF900, "cjk"),
    (0xFB00, "other"),
    (0xFF61, "halfwidth"),  # halfwidth katakana: Shift_JIS mis-read text is full of it
    (0xFFA0, "other"),
)


def _script(ch: str) -> str:
    code = ord(ch)
    script = "other"
    for start, name in _SCRIPT_BLOCKS:
        if code < start:
            break
        script = name
    return script


def _implausibility(text: str) -> float:
    """Share of words that real text in one script would not contain: mixed scripts, mostly-accented Latin,
    a capital after a small letter ("кхвЭснзуз": Greek or Chinese bytes read as cp1251)."""
    words = _WORD.findall(text)
    if not words:
        return 1.0
    bad = 0
    for word in words:
        scripts = {_script(ch) for ch in word}
        if len(scripts) > 1 or any(a.islower() and b.isupper() for a, b in itertools.pairwise(word)):
            bad += 1
            continue
        if len(word) >= 3 and scripts == {"latin"}:
            non_ascii = sum(1 for ch in word if ord(ch) > 127)
            if non_ascii / len(word) > 0.5:
                bad += 1
    return bad / len(words)


def _first_invalid_utf8(data: bytes) -> tuple[int, bool]:
    """(offset of the first invalid byte, whether any valid multi-byte sequence occurs before it)."""
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        prefix = data[: exc.start]
        return exc.start, any(b >= 0xC2 for b in prefix)
    return -1, False


def _evidence(text: str) -> list[str]:
    """The words holding non-ASCII letters: only they carry evidence about the code page."""
    return [w for w in _WORD.findall(text) if any(ord(ch) > 127 for ch in w)]


def _legacy_score(text: str) -> float:
    """0 (plausible) .. 1 (implausible) for one candidate decoding."""
    evidence = _evidence(text)
    long_words = [w for w in evidence if len(w) >= 3]
    if len(long_words) >= 5 and sum(w.isupper() for w in long_words) > len(long_words) / 2:
        return 1.0  # mostly capitals: KOI8-R read as cp1251 swaps the case of every letter
    if evidence:
        return _implausibility(" ".join(evidence))
    # No accented or non-Latin letters at all: the high bytes must be typographic punctuation.
    high = {ch for ch in text if ord(ch) > 127}
    return 0.0 if all(unicodedata.category(ch)[0] in "PSZ" for ch in high) else 1.0


def plausible(text: str) -> bool:
    """Whether a decoding reads as real words (see _legacy_score); how a declared charset is checked."""
    return _legacy_score(text) <= _MAX_IMPLAUSIBILITY


def _detected(data: bytes) -> Decoded | None:
    """charset-normalizer's reading, when it is a legacy code page and its words are plausible."""
    best = from_bytes(data[:200_000]).best()
    if best is None or best.encoding in ("utf_8", "ascii"):
        return None
    try:
        text = data.decode(best.encoding)
    except (LookupError, UnicodeDecodeError):
        return None
    # Stricter than for cp1252/cp1251: the detector must have non-ASCII words to go on, nearly all plausible.
    evidence = _evidence(text)
    if not evidence or _implausibility(" ".join(evidence)) > _MAX_IMPLAUSIBILITY / 2:
        return None
    return Decoded(text, best.encoding)


def _legacy(data: bytes) -> Decoded:
    scored: list[tuple[float, str, str]] = []
    for encoding in LEGACY_ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        scored.append((_legacy_score(text), encoding, text))
    scored.sort(key=lambda item: item[0])
    if not scored or scored[0][0] > _MAX_IMPLAUSIBILITY:
        detected = _detected(data)
        if detected is not None:
            return detected
        raise DecodeError(
            "not UTF-8, and no code page (cp1252, cp1251, or one charset-normalizer detects) reads it plausibly; "
            "re-save the file as UTF-8"
        )
    best_score, best_encoding, best_text = scored[0]
    rivals = [text for score, _, text in scored[1:] if score - best_score < _MAX_IMPLAUSIBILITY]
    if any(text != best_text for text in rivals):
        raise DecodeError(
            f"not UTF-8, and ambiguous between single-byte code pages ({', '.join(LEGACY_ENCODINGS)}); "
            "re-save the file as UTF-8"
        )
    return Decoded(best_text, best_encoding)


def decode_bytes(data: bytes) -> Decoded:
    """Decode article bytes or raise DecodeError with a reason a person can act on."""
    if not data.strip():
        raise DecodeError("empty file (no text at all)")
    binary = sniff_binary(data)
    if binary:
        raise DecodeError(f"binary content: looks like {binary}, not article text")

    decoded: Decoded | None = None
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                decoded = Decoded(data.decode(encoding).lstrip("\ufeff"), encoding)
            except UnicodeDecodeError as exc:
                raise DecodeError(f"starts with a {encoding} byte-order mark but is not valid {encoding}") from exc
            break
    if decoded is None:
        utf16 = utf16_without_bom(data)
        if utf16:
            try:
                decoded = Decoded(data.decode(utf16), utf16)
            except UnicodeDecodeError:
                decoded = None
    if decoded is None:
        offset, saw_multibyte = _first_invalid_utf8(data)
        if offset < 0:
            decoded = Decoded(data.decode("utf-8"), "utf-8")
        elif saw_multibyte:
            raise DecodeError(
                f"invalid UTF-8 at byte {offset}: the file mixes valid UTF-8 with broken bytes "
                "(truncated or corrupted); fix or re-export it as UTF-8"
            )
        else:
            decoded = _legacy(data)

    if _control_ratio(decoded.text) > 0.01:
        raise DecodeError("binary content: too many control characters for text")
    if not decoded.text.strip():
        raise DecodeError("empty file (only whitespace)")
    return decoded
