"""MinHash signatures of article bodies and their LSH band keys. Pure: no I/O, no warehouse.

Why this shape:
- Shingles are runs of SHINGLE_WORDS words of the body after the same normalisation as the exact
  text hash (casefold, accents and punctuation dropped), so two copies that differ only in quotes,
  dashes or capitals have the same shingles. `make eval` (dedupe) compares shingle sizes.
- Each word is hashed once (blake2b, behind a bounded cache: most words recur) and a shingle's hash is a
  position-weighted sum of its words' hashes computed in numpy, so no Python loop runs per shingle.
  Python's own hash() is salted per process and would give other signatures on every run.
- The signature is datasketch's MinHash ("affine32" scheme, NUM_PERM permutations, fixed SEED), i.e.
  NUM_PERM uint32 values; the estimated Jaccard similarity of two bodies is the fraction of positions
  where their values agree. Stored as NUM_PERM little-endian uint32 (512 bytes).
- LSH: the first BANDS * ROWS signature values are cut into BANDS bands of ROWS values; two articles
  become candidates when any band is equal. 32 bands of 3 find a pair of similarity 0.5 with
  probability 1 - (1 - 0.5^3)^32 = 0.986 (0.873 with 4 rows), at the same index size; verification
  then uses all NUM_PERM values. A band key is a 32-bit mix of the band number and its values: 32 bits
  keep the warehouse's band index about half the size of 64-bit keys, and a rare key collision only adds
  a candidate that verification (the similarity above) rejects.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from functools import lru_cache

import numpy as np

from pipelines.core.ids import fold

SHINGLE_WORDS = 5
NUM_PERM = 128
BANDS = 32
ROWS = 3
SEED = 1
SCHEME = "affine32"

_WORD = re.compile(r"\w+")
# Odd multipliers for position-weighted sums (golden-ratio and MurmurHash3 constants).
_SHINGLE_STEP = np.uint64(0x9E3779B97F4A7C15)
_BAND_STEP = np.uint64(0xFF51AFD7ED558CCD)
_EMPTY = np.full(NUM_PERM, np.iinfo(np.uint32).max, dtype=np.uint32)
_BLOCK = 4096  # shingles permuted at once: a (4096, NUM_PERM) uint32 block is 2 MB


class _FoldTable(dict):
    """str.translate table: each character to its ids.fold() form, computed once per character.
    Case folding and NFKD decomposition work character by character, and fold() drops every mark it
    produces, so folding characters one at a time gives exactly fold(text), at a quarter of the cost."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold(chr(code))
        return folded


_FOLD = _FoldTable()


@lru_cache(maxsize=1)
def _permutations() -> np.ndarray:
    """datasketch's (a, b) permutations for NUM_PERM and SEED, as uint32. Imported on the first signature,
    not with the module: importing datasketch imports scipy (~0.4 s of CPU), which the runs and processes
    that sign nothing (no new article; a worker that only parses) need not pay."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED, scheme=SCHEME).permutations.astype(np.uint32)


def words(text: str) -> list[str]:
    """The words shingles are made of: casefolded, accents dropped, split at anything not a letter or
    digit (the normalisation of the exact text hash, ids.text_fingerprint)."""
    folded = text.casefold()
    if not folded.isascii():
        folded = folded.translate(_FOLD)
    return _WORD.findall(folded)


@lru_cache(maxsize=1 << 18)
def _word_hash(word: str) -> int:
    return int.from_bytes(hashlib.blake2b(word.encode("utf-8"), digest_size=8).digest(), "little")


# MurmurHash3 finalizer constants per width: (shift, multiplier, shift, multiplier, shift).
_FMIX = {
    32: (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35), np.uint32(16)),
    64: (np.uint64(33), np.uint64(0xFF51AFD7ED558CCD), np.uint64(33), np.uint64(0xC4CEB9FE1A85EC53), np.uint64(33)),
}


def _fmix(values: np.ndarray, width: int) -> np.ndarray:
    """MurmurHash3's finalizer, a bijection that spreads every input bit over the output (wrapping
    arithmetic). The 32-bit one is what datasketch's affine32 scheme applies before permuting."""
    s1, m1, s2, m2, s3 = _FMIX[width]
    v = values ^ (values >> s1)
    v = v * m1
    v = v ^ (v >> s2)
    v = v * m2
    return v ^ (v >> s3)


def shingle_hashes(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """Distinct 32-bit hashes of the word `size`-grams of `text`. A text shorter than `size` words is
    one shingle of all its words, so short bodies still compare by their words and not as empty sets."""
    hashes = np.fromiter(map(_word_hash, words(text)), dtype=np.uint64)
    if hashes.size == 0:
        return hashes.astype(np.uint32)
    width = min(size, hashes.size)
    count = hashes.size - width + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(width):
        combined = combined * _SHINGLE_STEP + hashes[offset : offset + count]
    mixed = _fmix(combined, 64)
    return np.unique((mixed >> np.uint64(32)).astype(np.uint32))


def signature(text: str, size: int = SHINGLE_WORDS) -> np.ndarray:
    """MinHash signature (NUM_PERM uint32) of a body: datasketch's affine32 MinHash of its shingle
    hashes, computed in numpy with the template's permutations (tests check it equals
    MinHash.update_batch) because building a MinHash object per article costs twice as much. Shingles
    are permuted _BLOCK at a time, so a 10 MB body needs megabytes, not a gigabyte. An empty body gets
    the empty signature (every value at its maximum)."""
    hashes = _fmix(shingle_hashes(text, size), 32)
    a, b = _permutations()
    out = _EMPTY.copy()
    for start in range(0, hashes.size, _BLOCK):
        np.minimum(out, (hashes[start : start + _BLOCK, None] * a + b).min(axis=0), out=out)
    return out


def signatures(texts: Iterable[str], size: int = SHINGLE_WORDS) -> np.ndarray:
    """Signatures of many bodies as one (n, NUM_PERM) uint32 array."""
    rows = [signature(t, size) for t in texts]
    return np.vstack(rows) if rows else np.empty((0, NUM_PERM), dtype=np.uint32)


def band_keys(sigs: np.ndarray) -> np.ndarray:
    """(n, BANDS) 32-bit bucket keys of (n, NUM_PERM) signatures; equal keys = candidate pair.
    The band number is mixed in, so equal values in different bands never collide by construction."""
    values = np.asarray(sigs, dtype=np.uint32).reshape(-1, NUM_PERM)[:, : BANDS * ROWS].reshape(-1, BANDS, ROWS)
    values = values.astype(np.uint64)
    combined = np.arange(1, BANDS + 1, dtype=np.uint64)[None, :] * _BAND_STEP
    for row in range(ROWS):
        combined = combined * _SHINGLE_STEP + values[:, :, row]
    return (_fmix(combined, 64) >> np.uint64(32)).astype(np.uint32)


def similarity(sig: np.ndarray, others: np.ndarray) -> np.ndarray:
    """Estimated Jaccard similarity of `sig` with each row of `others` (what datasketch's
    MinHash.jaccard computes, for many at once)."""
    others = np.asarray(others).reshape(-1, NUM_PERM)
    return (others == np.asarray(sig)[None, :]).mean(axis=1)


def to_bytes(sig: np.ndarray) -> bytes:
    return np.asarray(sig, dtype="<u4").tobytes()


def from_bytes(blobs: Sequence[bytes]) -> np.ndarray:
    """(n, NUM_PERM) signatures from stored blobs."""
    if not blobs:
        return np.empty((0, NUM_PERM), dtype=np.uint32)
    return np.frombuffer(b"".join(blobs), dtype="<u4").reshape(-1, NUM_PERM).astype(np.uint32)
