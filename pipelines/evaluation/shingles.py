"""The metric of the Zyte (scrapinghub) article-extraction benchmark, as its evaluate.py computes it.

Per page: the body text is tokenised into runs of word characters (\\w+, case kept), and compared as
multisets of 4-token shingles: TP = shared shingles, FP = extra predicted ones, FN = missed true ones,
each divided by TP+FP+FN so that long pages weigh no more than short ones. Precision is averaged over the
pages where something was predicted or expected (TP+FP > 0), recall over the pages with text to find
(TP+FN > 0), and F1 is the harmonic mean of those two averages (not an average of per-page F1s).
Texts shorter than four tokens make one shorter shingle. Accuracy is the share of pages whose token
sequence is exactly right. Standard deviations come from a bootstrap over pages, as upstream.
"""

from __future__ import annotations

import random
import re
import statistics
from collections import Counter
from collections.abc import Sequence

TOKEN = re.compile(r"\w+", re.UNICODE)
Counts = tuple[float, float, float]


def tokens(text: str | None) -> list[str]:
    return TOKEN.findall(text or "")


def shingles(text: str | None, n: int = 4) -> Counter[tuple[str, ...]]:
    words = tokens(text)
    return Counter(tuple(words[i : i + n]) for i in range(max(1, len(words) - n + 1)) if words[i : i + n])


def page_counts(true: str | None, pred: str | None, n: int = 4) -> Counts:
    """(TP, FP, FN) of one page, normalised to sum to 1 (all zero when both texts are empty)."""
    expected, predicted = shingles(true, n), shingles(pred, n)
    tp = sum((expected & predicted).values())
    fp = sum((predicted - expected).values())
    fn = sum((expected - predicted).values())
    total = tp + fp + fn
    return (tp / total, fp / total, fn / total) if total else (0.0, 0.0, 0.0)


def _share(tp: float, wrong: float, fp: float, fn: float) -> float:
    """Upstream's precision (wrong = fp) and recall (wrong = fn): 1 for a page with nothing wrong at
    all, 0 when nothing right was found, else tp / (tp + wrong)."""
    if fp == fn == 0:
        return 1.0
    if tp == wrong == 0:
        return 0.0
    return tp / (tp + wrong)


def scores(pages: Sequence[Counts]) -> dict[str, float]:
    precision = statistics.mean(_share(tp, fp, fp, fn) for tp, fp, fn in pages if tp + fp > 0)
    recall = statistics.mean(_share(tp, fn, fp, fn) for tp, fp, fn in pages if tp + fn > 0)
    return {"precision": precision, "recall": recall, "f1": 2 * precision * recall / (precision + recall)}


def accuracy(true: str | None, pred: str | None) -> float:
    return float(tokens(true) == tokens(pred))


def bootstrap_std(pages: Sequence[Counts], samples: int = 1000, seed: int = 0) -> dict[str, float]:
    """Standard deviation of each score over `samples` resamplings of the pages (seeded: repeatable)."""
    rng = random.Random(seed)
    drawn: dict[str, list[float]] = {}
    for _ in range(samples):
        sample = [pages[rng.randrange(len(pages))] for _ in pages]
        for key, value in scores(sample).items():
            drawn.setdefault(key, []).append(value)
    return {key: statistics.stdev(values) for key, values in drawn.items()}
