"""Near-duplicate corrections: an analyst says articles are not copies of another report ("X is not a copy
of Y", or "these articles are a group of their own"), and the near_duplicates stage puts them in a group of
their own after grouping, in one transaction.

A split is named by articles (ids, URLs or seed files), never by a group id, so it survives re-grouping:
when an edit, a withdrawal or a new dedupe version regroups the articles and they land with the report
they were taken from again, the next run moves them out again. An entry already in force moves nothing, so
a re-run writes nothing. The group a split makes has an id derived from the entry's articles as written,
so it is the same on every run; copies of the split articles that arrive later may join it. The moved
article that is now canonical of its group is parsed, coded and clustered by the later stages as any new
report (nothing else is recomputed). Each moved membership row names the entry (article_dups.corrected_by);
every entry's outcome is in the corrections table (section duplicates).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipelines.core import minhash
from pipelines.core.corrections import GroupFix
from pipelines.core.ids import stable_id
from pipelines.core.near_duplicates import Link, Probe
from pipelines.core.stages.apply_corrections import FixOutcome, apply_group_fixes
from pipelines.core.stages.near_duplicates import regroup, write_regrouped
from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, utcnow

SECTION = "duplicates"


def split_group_id(fix: GroupFix) -> str:
    """The group a split makes: from its articles as the entry lists them, so every run names the same
    group (a note or a `from` edited does not move anything again)."""
    return stable_id("dup_group", "split", *fix.articles)


def apply_duplicate_splits(session: Session, report: StageReport, fixes: Iterable[GroupFix]) -> None:
    """Apply the corrections file's near-duplicate splits in file order; an article listed by an earlier
    entry is left where that entry put it (two entries placing one article would move it on every run)."""
    placed: set[str] = set()
    moved = apply_group_fixes(
        session, report, SECTION, "near_duplicates", fixes, lambda fix, refs: _apply_split(session, fix, refs, placed)
    )
    report.details["moved_by_corrections"] = len(moved)


def _apply_split(session: Session, fix: GroupFix, refs: dict[str, dict[str, Any]], placed: set[str]) -> FixOutcome:
    """Apply one entry; what it changed are the articles it moved."""
    own = {r: refs[r]["own_article_id"] for r in fix.refs if r in refs}
    probe = [{"article_id": a} for a in sorted(set(own.values()))]
    group_of = {r["article_id"]: r["dup_group_id"] for r in session.query_with("dup_groups_of_articles", probe)}
    apart = {own[r] for r in fix.apart_from if own.get(r) in group_of}
    listed = list(dict.fromkeys(own[r] for r in fix.articles if own.get(r) in group_of))
    claimed = [a for a in listed if a in placed]
    found = [a for a in listed if a not in placed and a not in apart]
    missing = [r for r in fix.refs if own.get(r) not in group_of]
    problems = [f"not found or not grouped: {', '.join(missing)}"] if missing else []
    problems += [f"placed by an earlier entry: {', '.join(claimed)}"] if claimed else []
    detail = "; ".join(problems) or None
    if not found or (fix.apart_from and not apart):
        return FixOutcome(frozenset(), len(found), "stale", detail)
    target = split_group_id(fix)
    away = {group_of[a] for a in apart}
    movers = [a for a in found if (group_of[a] in away if fix.apart_from else group_of[a] != target)]
    placed.update(found)
    if movers:
        _move(session, movers, {group_of[a] for a in movers} | {target}, target, fix.correction_id)
    return FixOutcome(frozenset(movers), len(found), "partial" if problems else "applied", detail)


def _move(session: Session, movers: list[str], touched: set[str], target: str, correction_id: str) -> None:
    """Put `movers` into group `target` and elect the canonical member of every group that changed."""
    members = session.query_with("dup_group_members", [{"dup_group_id": g} for g in sorted(touched)])
    moving = [r for r in members if r["article_id"] in movers]
    staying = [r for r in members if r["article_id"] not in movers]
    signatures = minhash.from_bytes([r["minhash"] for r in moving])
    probes = [Probe(r["article_id"], r["text_hash"], sig) for r, sig in zip(moving, signatures, strict=True)]
    links = [Link(r["article_id"], target, None, None, correction_id) for r in moving]
    inputs = {r["article_id"]: r for r in moving}
    version = session.meta("dedupe_version") or ""
    write_regrouped(session, regroup(touched, staying, links, probes, inputs, now=utcnow(), version=version))
