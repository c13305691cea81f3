"""Scores shared by the evaluations: per-class precision/recall over sets of labels, B-cubed clustering."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class PRF:
    precision: float
    recall: float
    f1: float
    support: int = 0

    @classmethod
    def of(cls, tp: int, fp: int, fn: int) -> PRF:
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return cls(round(precision, 3), round(recall, 3), round(f1, 3), tp + fn)


def per_label(pairs: Iterable[tuple[set[str], set[str]]]) -> tuple[dict[str, PRF], PRF]:
    """(gold labels, predicted labels) per record → P/R/F per label and micro-averaged overall."""
    tp: Counter[str] = Counter()
    fp: Counter[str] = Counter()
    fn: Counter[str] = Counter()
    for gold, predicted in pairs:
        for label in gold & predicted:
            tp[label] += 1
        for label in predicted - gold:
            fp[label] += 1
        for label in gold - predicted:
            fn[label] += 1
    labels = sorted(set(tp) | set(fp) | set(fn))
    scores = {label: PRF.of(tp[label], fp[label], fn[label]) for label in labels}
    return scores, PRF.of(sum(tp.values()), sum(fp.values()), sum(fn.values()))


def bcubed(predicted: Mapping[str, Hashable], gold: Mapping[str, Hashable]) -> PRF:
    """B-cubed precision/recall/F1 (Bagga & Baldwin 1998) of a clustering against gold clusters."""
    by_predicted: defaultdict[Hashable, set[str]] = defaultdict(set)
    by_gold: defaultdict[Hashable, set[str]] = defaultdict(set)
    for item in gold:
        by_predicted[predicted[item]].add(item)
        by_gold[gold[item]].add(item)
    precision = recall = 0.0
    for item in gold:
        same_predicted, same_gold = by_predicted[predicted[item]], by_gold[gold[item]]
        overlap = len(same_predicted & same_gold)
        precision += overlap / len(same_predicted)
        recall += overlap / len(same_gold)
    n = len(gold) or 1
    p, r = precision / n, recall / n
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(round(p, 3), round(r, 3), round(f1, 3), len(gold))


def table(rows: list[tuple[str, PRF]], header: str = "type") -> str:
    """A Markdown table of P/R/F1/support rows."""
    lines = [f"| {header} | precision | recall | F1 | gold |", "|---|---:|---:|---:|---:|"]
    lines += [f"| {name} | {s.precision:.3f} | {s.recall:.3f} | {s.f1:.3f} | {s.support} |" for name, s in rows]
    return "\n".join(lines)
