import re

import numpy as np
from datasketch import LeanMinHash, MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from pipelines.core import minhash
from pipelines.core.ids import fold

BODY = (
    "Russia has sent military police and armoured vehicles to a region of northeast Syria, leading to a lull "
    "in fighting between Syrian fighters and Kurdish militias, according to media reports on Monday. Weeks of "
    "clashes between Ankara-backed rebel groups and the Kurdish People's Protection Units culminated on Sunday."
)


@settings(max_examples=200, deadline=None)
@given(st.text())
def test_words_fold_exactly_like_the_text_hash(text: str) -> None:
    # Folding character by character must equal ids.fold on the whole text, or the near-duplicate layer and
    # the exact layer would disagree on what "the same words" means.
    assert minhash.words(text) == re.findall(r"\w+", fold(text))


def test_signature_ignores_case_accents_and_punctuation() -> None:
    assert np.array_equal(minhash.signature("Erdoğan said: “No deal.”"), minhash.signature("erdogan said no deal"))
    assert not np.array_equal(minhash.signature("Erdoğan said no deal"), minhash.signature("Erdoğan said a deal"))


def test_signature_is_datasketch_minhash() -> None:
    shingles = minhash.shingle_hashes(BODY)
    reference = MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED, hashfunc=int, scheme=minhash.SCHEME)
    reference.update_batch(shingles.tolist())
    assert np.array_equal(minhash.signature(BODY), reference.hashvalues)
    # Stored bytes rebuild a LeanMinHash (datasketch 2 needs the scheme), and similarities agree.
    other = minhash.signature(BODY.replace("Monday", "Tuesday").replace("Sunday", "Saturday"))
    stored = minhash.from_bytes([minhash.to_bytes(minhash.signature(BODY)), minhash.to_bytes(other)])
    lean = [LeanMinHash(seed=minhash.SEED, hashvalues=row, scheme=minhash.SCHEME) for row in stored]
    assert minhash.similarity(stored[0], stored[1:])[0] == lean[0].jaccard(lean[1])


def test_long_bodies_are_signed_in_blocks() -> None:
    long_body = " ".join(f"word{i % 5000} filler{i % 7}" for i in range(6000))  # more shingles than a block
    shingles = minhash.shingle_hashes(long_body)
    assert shingles.size > 4096
    reference = MinHash(num_perm=minhash.NUM_PERM, seed=minhash.SEED, hashfunc=int, scheme=minhash.SCHEME)
    reference.update_batch(shingles.tolist())
    assert np.array_equal(minhash.signature(long_body), reference.hashvalues)


def test_similarity_estimates_jaccard() -> None:
    words = [f"w{i}" for i in range(400)]
    a = " ".join(words[:300])
    b = " ".join(words[100:])  # 296 shared shingles of 496 distinct: Jaccard 0.597
    sim = minhash.similarity(minhash.signature(a), minhash.signature(b)[None, :])[0]
    assert abs(sim - 296 / 496) < 0.15
    assert minhash.similarity(minhash.signature(a), minhash.signature(" ".join(words[300:]))[None, :])[0] < 0.1


def test_shingles_of_short_and_empty_texts() -> None:
    assert minhash.shingle_hashes("only three words").size == 1
    assert minhash.shingle_hashes("only three words")[0] != minhash.shingle_hashes("only four words")[0]
    assert minhash.shingle_hashes("").size == 0
    assert (minhash.signature("") == np.iinfo(np.uint32).max).all()
    assert minhash.shingle_hashes("a b c d e f").size == 2


def test_band_keys() -> None:
    sigs = minhash.signatures([BODY, BODY.upper(), "something else entirely, said nobody at all today"])
    keys = minhash.band_keys(sigs)
    assert keys.shape == (3, minhash.BANDS) and keys.dtype == np.uint32
    assert np.array_equal(keys[0], keys[1])
    assert not set(keys[0].tolist()) & set(keys[2].tolist())
    # The band number is part of the key: the same values in two bands are two different buckets.
    same_values = np.tile(np.arange(minhash.ROWS, dtype=np.uint32), minhash.NUM_PERM // minhash.ROWS + 1)
    assert len(set(minhash.band_keys(same_values[: minhash.NUM_PERM])[0].tolist())) == minhash.BANDS
