"""The benchmark metric on cases small enough to count by hand."""

from __future__ import annotations

import pytest

from pipelines.evaluation.shingles import accuracy, page_counts, scores, shingles


def test_shingles_are_four_word_windows_with_counts() -> None:
    assert shingles("a b c d e") == {("a", "b", "c", "d"): 1, ("b", "c", "d", "e"): 1}
    assert shingles("Hi, there!") == {("Hi", "there"): 1}  # shorter than four: one shorter shingle
    assert shingles("") == {} and shingles(None) == {}
    assert shingles("x y z w x y z w")[("x", "y", "z", "w")] == 2


def test_page_counts_are_normalised() -> None:
    true = "one two three four five six"  # shingles: 1234 2345 3456
    pred = "one two three four five seven"  # shingles: 1234 2345 3457
    assert page_counts(true, pred) == pytest.approx((2 / 4, 1 / 4, 1 / 4))
    assert page_counts(true, true) == (1.0, 0.0, 0.0)
    assert page_counts(true, "") == (0.0, 0.0, 1.0)
    assert page_counts("", "") == (0.0, 0.0, 0.0)


def test_scores_average_per_page_and_take_f1_of_the_averages() -> None:
    perfect, missed, half = (1.0, 0.0, 0.0), (0.0, 0.0, 1.0), (0.5, 0.5, 0.0)
    result = scores([perfect, missed, half])
    # precision: pages with a prediction (perfect 1.0, half 0.5); recall: pages with text (1, 0, 1)
    assert result["precision"] == pytest.approx(0.75) and result["recall"] == pytest.approx(2 / 3)
    assert result["f1"] == pytest.approx(2 * 0.75 * (2 / 3) / (0.75 + 2 / 3))


def test_accuracy_compares_token_sequences() -> None:
    assert accuracy("Hello,  world!", "Hello world") == 1.0 and accuracy("a b", "b a") == 0.0
