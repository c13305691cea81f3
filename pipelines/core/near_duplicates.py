"""Near-duplicate groups: which group an article joins, and which member is a group's canonical one.
Pure: the stage (stages/near_duplicates.py) fetches candidates from the warehouse and writes the result.

The rules, also stated for users in ANALYSTS.md ("Near-duplicates"):
- Candidates of an article are the articles sharing at least one LSH band with it (minhash.band_keys):
  stored ones, found by the warehouse's band index, and earlier ones of the same chunk, found here.
- A candidate is verified before it counts: its estimated Jaccard similarity with the article must reach
  the threshold. A candidate with the same normalised text hash is an exact copy (similarity 1).
- The article joins the group of its best verified candidate: an exact copy first, then the highest
  similarity, then the smaller group id (a fixed tie-break, so re-runs agree).
- Groups never merge. An article resembling members of two groups joins the better one and the other
  group stays as it is. Merging would let one roundup that quotes two wire stories fuse two reports into
  one group, and would change the group id of one side. Within a group, membership is single-link: a
  member may resemble the member it joined through more than the canonical one (its similarity to the
  canonical, which is what the warehouse shows, can then be below the threshold).
- An article without a verified candidate founds a group. The group id is derived from the founder's
  article id and text hash and never changes afterwards, even when another member becomes canonical
  or the founder itself leaves.
- The canonical member is the earliest published (a missing date counts as latest), then the first
  seen, then the smallest article id. A late-arriving older copy becomes canonical; the group keeps its id.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np

from pipelines.core import minhash
from pipelines.core.ids import stable_id


@dataclass(frozen=True)
class Probe:
    """An article being grouped: its identity, text hash and MinHash signature."""

    article_id: str
    text_hash: str
    signature: np.ndarray


@dataclass(frozen=True)
class Candidate:
    """A grouped article that shares a band with the probe `probe_id`."""

    probe_id: str
    article_id: str
    text_hash: str
    signature: np.ndarray
    dup_group_id: str


@dataclass(frozen=True)
class Link:
    """Where a probe went: the group it joined or founded, and the member it matched; or, for an article
    an analyst's correction placed, the group it names and the correction."""

    article_id: str
    dup_group_id: str
    matched_article_id: str | None
    matched_similarity: float | None
    corrected_by: str | None = None

    @property
    def founded(self) -> bool:
        return self.matched_article_id is None


def group_id_for(article_id: str, text_hash: str) -> str:
    """Id of the group an article text founds. If that group still exists (the article was edited away
    and back while other members stayed), the article returns to it instead of founding a second one."""
    return stable_id("dup_group", article_id, text_hash)


def link_articles(probes: Sequence[Probe], stored: Iterable[Candidate], threshold: float) -> list[Link]:
    """Group `probes` in order. `stored` holds their candidates among already grouped articles;
    candidates among the probes themselves are found here, each probe seeing only earlier ones, so a copy
    inside the batch is grouped exactly like a copy arriving in a later run."""
    by_probe: dict[str, list[Candidate]] = {}
    for cand in stored:
        by_probe.setdefault(cand.probe_id, []).append(cand)
    keys = minhash.band_keys(np.vstack([p.signature for p in probes])) if probes else np.empty((0, minhash.BANDS))
    earlier_by_key: dict[int, list[int]] = {}
    links: list[Link] = []
    for i, probe in enumerate(probes):
        earlier = sorted({j for key in keys[i].tolist() for j in earlier_by_key.get(key, ())})
        candidates = by_probe.get(probe.article_id, []) + [
            Candidate(
                probe.article_id, probes[j].article_id, probes[j].text_hash, probes[j].signature, links[j].dup_group_id
            )
            for j in earlier
        ]
        best = _best_match(probe, candidates, threshold)
        if best is None:
            links.append(Link(probe.article_id, group_id_for(probe.article_id, probe.text_hash), None, None))
        else:
            cand, sim = best
            links.append(Link(probe.article_id, cand.dup_group_id, cand.article_id, sim))
        for key in keys[i].tolist():
            earlier_by_key.setdefault(key, []).append(i)
    return links


def _best_match(probe: Probe, candidates: list[Candidate], threshold: float) -> tuple[Candidate, float] | None:
    """The verified candidate to link to: highest similarity, an exact copy before an estimated 1.0,
    then the smaller group and article id."""
    if not candidates:
        return None
    sims = minhash.similarity(probe.signature, np.vstack([c.signature for c in candidates]))
    scored = []
    for cand, sim in zip(candidates, sims, strict=True):
        exact = cand.text_hash == probe.text_hash
        scored.append((1.0 if exact else float(sim), exact, cand))
    verified = [s for s in scored if s[0] >= threshold]
    if not verified:
        return None
    sim, _, cand = min(verified, key=lambda s: (-s[0], not s[1], s[2].dup_group_id, s[2].article_id))
    return cand, sim


@dataclass(frozen=True)
class Member:
    """A group member as the canonical election sees it."""

    article_id: str
    text_hash: str
    signature: np.ndarray
    published_at: datetime | None
    first_seen_at: datetime


@dataclass(frozen=True)
class Standing:
    """A member's place in its group: the canonical member, its similarity to it, and how it matches."""

    article_id: str
    canonical_article_id: str
    similarity_to_canonical: float
    dup_method: str  # canonical | exact | near


def canonical_order(member: Member) -> tuple[bool, datetime, datetime, str]:
    """Sort key: earliest published first (no date = last), then first seen, then article id."""
    return (member.published_at is None, member.published_at or datetime.min, member.first_seen_at, member.article_id)


def standings(members: Sequence[Member]) -> list[Standing]:
    """Elect the canonical member of one group and place every member relative to it."""
    if not members:
        return []
    canonical = min(members, key=canonical_order)
    sims = minhash.similarity(canonical.signature, np.vstack([m.signature for m in members]))
    out = []
    for member, sim in zip(members, sims, strict=True):
        if member.article_id == canonical.article_id:
            out.append(Standing(member.article_id, canonical.article_id, 1.0, "canonical"))
        elif member.text_hash == canonical.text_hash:
            out.append(Standing(member.article_id, canonical.article_id, 1.0, "exact"))
        else:
            out.append(Standing(member.article_id, canonical.article_id, round(float(sim), 4), "near"))
    return out
