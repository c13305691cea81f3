"""The labelled set for near-duplicate evaluation, built at run time from ../shared/eval/corpus/bbc.

Documents: every corpus article (`original`) plus seeded syndication variants of each (dedupe_variants).
Truth is a partition of documents into reports:
- a variant belongs to the report of its original;
- originals with the same normalised body are one report (the corpus's real exact duplicates);
- real pairs hand-labelled `same` in dedupe_bbc_pairs.csv are one report;
- everything else is a different report: above all the other articles of the same topic folder, which
  share its vocabulary, its people and sometimes its background paragraphs (the hard negatives).
Pairs labelled `update` (a later version of a page with a new development) are left out of the scores.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cached_property
from importlib import resources
from pathlib import Path

from pipelines.core.ids import text_fingerprint
from pipelines.evaluation.dedupe_variants import KINDS, Source, VariantMaker, parse_source

CORPUS = Path("corpus") / "bbc"
VARIANTS_PER_ARTICLE = 2


@dataclass(frozen=True)
class LabelledDoc:
    doc_id: str
    source_key: str
    folder: str
    kind: str  # original, or a variant kind
    text: str
    shared: float = 1.0


@dataclass
class LabelledSet:
    docs: list[LabelledDoc]
    report_of_source: dict[str, str]
    real_pairs: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # label -> source key pairs

    def report(self, doc: LabelledDoc) -> str:
        return self.report_of_source[doc.source_key]

    def ambiguous(self, report_a: str, report_b: str) -> bool:
        """True when two reports are labelled `update` of each other: left out of every score."""
        return frozenset((report_a, report_b)) in self.ambiguous_pairs

    @cached_property
    def ambiguous_pairs(self) -> set[frozenset[str]]:
        """Report pairs labelled `update` of each other."""
        return {frozenset((self.report_of_source[a], self.report_of_source[b])) for a, b in self.real_pairs["update"]}


def read_sources(data_dir: Path) -> list[Source]:
    """Corpus articles in path order. One file is cp1252, the rest UTF-8."""
    sources = []
    for path in sorted((data_dir / CORPUS).glob("*/*.txt")):
        raw = path.read_bytes()
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            text = raw.decode("cp1252")
        sources.append(parse_source(f"{path.parent.name}/{path.stem}", path.parent.name, text))
    return sources


def read_pair_labels() -> dict[str, list[tuple[str, str]]]:
    text = resources.files("pipelines.evaluation").joinpath("dedupe_bbc_pairs.csv").read_text("utf-8")
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    labels: dict[str, list[tuple[str, str]]] = {"same": [], "update": [], "different": []}
    for row in rows:
        labels[row["label"]].append((row["a"], row["b"]))
    return labels


def _reports(sources: list[Source], same_pairs: list[tuple[str, str]]) -> dict[str, str]:
    """Union of sources into reports along pairs known to be one report."""
    parent = {s.key: s.key for s in sources}

    def find(key: str) -> str:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for a, b in same_pairs:
        if a in parent and b in parent:
            ra, rb = find(a), find(b)
            parent[max(ra, rb)] = min(ra, rb)
    return {key: find(key) for key in parent}


def exact_duplicate_pairs(sources: list[Source]) -> Iterator[tuple[str, str]]:
    """Pairs of corpus articles with the same normalised body (the corpus's real exact duplicates)."""
    by_body: dict[str, list[str]] = {}
    for source in sources:
        by_body.setdefault(text_fingerprint("\n".join(source.paragraphs)), []).append(source.key)
    for keys in by_body.values():
        for i, a in enumerate(keys):
            for b in keys[i + 1 :]:
                yield a, b


def build_labelled_set(data_dir: Path, seed: int) -> LabelledSet:
    """Originals plus VARIANTS_PER_ARTICLE variants of distinct kinds per original, chosen by `seed`."""
    sources = read_sources(data_dir)
    labels = read_pair_labels()
    labels["exact"] = list(exact_duplicate_pairs(sources))
    by_folder: dict[str, list[Source]] = {}
    for source in sources:
        by_folder.setdefault(source.folder, []).append(source)
    maker = VariantMaker(seed)
    pick = random.Random(seed)
    docs = [LabelledDoc(s.key, s.key, s.folder, "original", s.text) for s in sources]
    for source in sources:
        for kind in pick.sample(KINDS, VARIANTS_PER_ARTICLE):
            variant = maker.make(source, kind, by_folder[source.folder])
            docs.append(
                LabelledDoc(f"{source.key}~{kind}", source.key, source.folder, kind, variant.text, variant.shared)
            )
    return LabelledSet(docs, _reports(sources, labels["exact"] + labels["same"]), labels)
