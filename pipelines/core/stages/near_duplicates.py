"""Near-duplicates stage: articles not grouped yet (new, edited or re-dated) join or found a
near-duplicate group, compared with every article ever grouped through the persisted LSH index.

Per chunk of pending articles, in one transaction:
1. edited articles leave the index and their group (the group is re-examined in step 4);
2. new and edited articles are signed (core.minhash) and their band keys joined with lsh_bands, which
   returns the stored candidates with signature and group. The join is answered by the band index, so
   its cost depends on the candidates, not on the size of history, and no run loads stored signatures
   beyond the candidates of its chunk;
3. core.near_duplicates.link_articles verifies the candidates and links each article to a group;
4. signatures and bands are stored, and every group that gained, lost or re-dated a member elects its
   canonical member again; only rows whose standing changed are rewritten.

The index is global: a run groups every pending article, whichever batch it came from, so the check
"every article is in exactly one group" holds after every run. Exact copies that batches cleaned at the same
time each made into an article are first folded into one (the cleaner of one batch cannot see another's
articles before they commit). The signature settings, the threshold and
this code make the dedupe version; when it changes, the next run drops all groups and signatures and
regroups every article in canonical order (earliest published first).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np
import pyarrow as pa

from pipelines.core import minhash
from pipelines.core.near_duplicates import Candidate, Link, Member, Probe, link_articles, standings
from pipelines.core.settings import DEFAULT_DEDUPE_THRESHOLD
from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, utcnow

CHUNK_SIZE = 500
# Bump when the grouping code changes behaviour; the signature settings are appended automatically.
_GROUPING_CODE_VERSION = "1"
CODE_VERSION = f"{_GROUPING_CODE_VERSION}.w{minhash.SHINGLE_WORDS}.p{minhash.NUM_PERM}.b{minhash.BANDS}x{minhash.ROWS}"


def dedupe_version(threshold: float) -> str:
    """What stored signatures and groups depend on: code, signature settings and threshold."""
    return f"{CODE_VERSION}.t{threshold:g}"


@dataclass
class Counts:
    """What the stage did, summed over chunks."""

    founded: int = 0  # articles that started a group (a distinct report)
    joined: int = 0  # articles that joined an existing group (copies)
    regrouped: int = 0  # edited or re-dated articles considered again
    candidates: int = 0  # stored candidates verified
    groups_touched: int = 0
    canonical_changes: int = 0

    def add(self, other: Counts) -> None:
        for name in vars(self):
            setattr(self, name, getattr(self, name) + getattr(other, name))


# A member's row is rewritten when one of these changes.
_STANDING = (
    "dup_group_id",
    "canonical_article_id",
    "similarity_to_canonical",
    "dup_method",
    "published_at_seen",
    "corrected_by",
)


@dataclass
class Regrouped:
    """What regroup() decided: rows to upsert, groups to delete, canonical elections that changed."""

    dups: list[dict[str, Any]] = field(default_factory=list)
    groups: list[dict[str, Any]] = field(default_factory=list)
    emptied: list[str] = field(default_factory=list)
    canonical_changes: int = 0


def group_near_duplicates(
    session: Session,
    batch_keys: Iterable[str],
    run_id: str,
    threshold: float = DEFAULT_DEDUPE_THRESHOLD,
    chunk_size: int = CHUNK_SIZE,
) -> StageReport:
    report = StageReport("near_duplicates", sorted(set(batch_keys)), run_id)
    version = dedupe_version(threshold)
    session.write("near_duplicate_session")
    # Before a new version drops the signatures: they tell the copies never grouped from grouped articles.
    report.details["exact_copies_merged"] = _merge_exact_copies(session)
    if session.meta("dedupe_version") != version:
        with session.transaction():
            session.write("forget_near_duplicates")
            session.set_meta("dedupe_version", version)
        report.details["regrouped_all_for_version"] = version
    pending = session.arrow("pending_near_duplicates").to_pylist()
    total = Counts()
    for start in range(0, len(pending), chunk_size):
        chunk = pending[start : start + chunk_size]
        with session.transaction():
            total.add(_group_chunk(session, chunk, threshold, version))
            session.bump_data_version("near_duplicates")
        report.rows_in += len(chunk)
    report.new, report.duplicate, report.updated = total.founded, total.joined, total.regrouped
    report.details.update(
        threshold=threshold,
        candidates_verified=total.candidates,
        groups_touched=total.groups_touched,
        canonical_changes=total.canonical_changes,
    )
    return report.finish(session)


def _merge_exact_copies(session: Session) -> int:
    """Fold the exact copies that batches cleaned at the same time made into separate articles (see
    concurrent_exact_copies.sql) before grouping, so an article's id does not depend on which batch's cleaning
    finished first. Returns how many."""
    copies = session.query("concurrent_exact_copies")
    if copies:
        with session.transaction():
            session.write_with("merge_exact_copies", copies)
            session.bump_data_version("articles")
    return len(copies)


def _group_chunk(session: Session, chunk: list[dict[str, Any]], threshold: float, version: str) -> Counts:
    now = utcnow()
    counts = Counts()
    reason = {row["article_id"]: row["reason"] for row in chunk}
    inputs = {
        row["article_id"]: row
        for row in session.query_with("near_duplicate_inputs", [{"article_id": a} for a in reason])
    }
    ordered = [inputs[a] for a in reason if a in inputs]
    touched = {row["previous_group_id"] for row in ordered if row["previous_group_id"]}
    relink = [row for row in ordered if reason[row["article_id"]] != "redated"]
    changed = [{"article_id": row["article_id"]} for row in relink if reason[row["article_id"]] == "changed"]
    if changed:
        session.write_with("forget_article_grouping", changed)
    counts.regrouped = len(ordered) - len(relink) + len(changed)

    probes = [
        Probe(row["article_id"], row["text_hash"], sig) for row, sig in zip(relink, _signatures(relink), strict=True)
    ]
    links: list[Link] = []
    if probes:
        links, counts.candidates = _link(session, probes, threshold, version, now)
        touched |= {link.dup_group_id for link in links}

    stored_members = (
        session.query_with("dup_group_members", [{"dup_group_id": g} for g in sorted(touched)]) if touched else []
    )
    result = regroup(touched, stored_members, links, probes, inputs, now=now, version=version)
    write_regrouped(session, result)
    counts.founded = sum(link.founded for link in links)
    counts.joined = len(links) - counts.founded
    counts.groups_touched = len(touched)
    counts.canonical_changes = result.canonical_changes
    return counts


def write_regrouped(session: Session, result: Regrouped) -> None:
    """Store what regroup() decided: changed member and group rows, emptied groups deleted."""
    session.upsert("article_dups", result.dups, ["article_id"])
    session.upsert("dup_groups", result.groups, ["dup_group_id"])
    if result.emptied:
        session.write_with("delete_dup_groups", [{"dup_group_id": g} for g in result.emptied])


def _signatures(rows: list[dict[str, Any]]) -> list[np.ndarray]:
    return list(minhash.signatures(row["text"] for row in rows)) if rows else []


def _link(
    session: Session, probes: list[Probe], threshold: float, version: str, now: datetime
) -> tuple[list[Link], int]:
    """Find the probes' stored candidates through the band index, link the probes, then store their
    signatures and bands (after the lookup, so a probe never finds itself). Returns the links and how
    many stored candidates were verified."""
    keys = minhash.band_keys(np.vstack([p.signature for p in probes]))
    bands = pa.table(
        {
            "band_key": pa.array(keys.ravel(), pa.uint32()),
            "article_id": pa.array([p.article_id for p in probes for _ in range(minhash.BANDS)], pa.string()),
        }
    )
    rows = session.query_with("near_duplicate_candidates", bands)
    stored = [
        Candidate(r["probe_id"], r["article_id"], r["text_hash"], sig, r["dup_group_id"])
        for r, sig in zip(rows, minhash.from_bytes([r["minhash"] for r in rows]), strict=True)
    ]
    links = link_articles(probes, stored, threshold)
    session.insert(
        "article_signatures",
        [
            {
                "article_id": p.article_id,
                "signed_text_hash": p.text_hash,
                "minhash": minhash.to_bytes(p.signature),
                "dedupe_version": version,
                "signed_at": now,
            }
            for p in probes
        ],
    )
    session.insert("lsh_bands", bands)
    return links, len(stored)


def regroup(
    touched: set[str],
    stored_members: list[dict[str, Any]],
    links: list[Link],
    probes: list[Probe],
    inputs: dict[str, dict[str, Any]],
    *,
    now: datetime,
    version: str,
) -> Regrouped:
    """Rows to write for the touched groups. `stored_members` are dup_group_members rows (members that
    stay); `links` place this chunk's new or edited articles, or the articles a correction moves, whose
    signatures are in `probes` and dates in `inputs`. A member that stays keeps the correction that put
    it there; a linked one has its link's. Only rows whose standing changed are returned."""
    signature_of = {p.article_id: p.signature for p in probes}
    members: dict[str, list[Member]] = {g: [] for g in touched}
    before: dict[str, dict[str, Any]] = {}
    stored_group: dict[str, dict[str, Any]] = {}
    stored_sigs = minhash.from_bytes([row["minhash"] for row in stored_members])
    for row, sig in zip(stored_members, stored_sigs, strict=True):
        members[row["dup_group_id"]].append(
            Member(row["article_id"], row["text_hash"], sig, row["published_at"], row["first_seen_at"])
        )
        before[row["article_id"]] = row
        stored_group.setdefault(row["dup_group_id"], row)
    link_of = {link.article_id: link for link in links}
    founders: dict[str, str] = {}
    for link in links:
        art = inputs[link.article_id]
        members[link.dup_group_id].append(
            Member(
                link.article_id,
                art["text_hash"],
                signature_of[link.article_id],
                art["published_at"],
                art["first_seen_at"],
            )
        )
        founders.setdefault(link.dup_group_id, link.article_id)

    out = Regrouped()
    for group_id, group in sorted(members.items()):
        if not group:
            out.emptied.append(group_id)
            continue
        places = standings(group)
        canonical = places[0].canonical_article_id
        dates = {m.article_id: m.published_at for m in group}
        for place in places:
            link = link_of.get(place.article_id)
            old = before.get(place.article_id)
            row = {
                "article_id": place.article_id,
                "dup_group_id": group_id,
                "canonical_article_id": canonical,
                "similarity_to_canonical": place.similarity_to_canonical,
                "dup_method": place.dup_method,
                "matched_article_id": link.matched_article_id if link else old["matched_article_id"],
                "matched_similarity": link.matched_similarity if link else old["matched_similarity"],
                "corrected_by": link.corrected_by if link else old["corrected_by"],
                "published_at_seen": dates[place.article_id],
                "dedupe_version": version,
                "grouped_at": now,
            }
            if old is None or any(old[k] != row[k] for k in _STANDING):
                out.dups.append(row)
        stored = stored_group.get(group_id)
        if stored is not None and stored["group_canonical_article_id"] != canonical:
            out.canonical_changes += 1
        if stored is None or stored["group_canonical_article_id"] != canonical or stored["group_size"] != len(group):
            out.groups.append(
                {
                    "dup_group_id": group_id,
                    "canonical_article_id": canonical,
                    "size": len(group),
                    "founder_article_id": stored["founder_article_id"] if stored else founders[group_id],
                    "created_at": stored["group_created_at"] if stored else now,
                    "updated_at": now,
                }
            )
    return out
