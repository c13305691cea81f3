"""Event corrections stage: match the corrections file's event fixes against the coded events and write the
overlay (event_corrections) that corrected_events applies, with every entry's status (corrections).

The overlay is recomputed whole from the file and the current events whenever either changed (a stamp of
the file's fingerprint and the events and entities data versions), so a re-code, a new coder version or an
edited entry leaves nothing to undo, and a re-run with nothing new does nothing. Cost: one lookup per entry.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from pipelines.core.corrections import Corrections, EventFix, GroupFix, Party, type_columns
from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, utcnow

STAMP_KEY = "event_corrections_applied"
_PARTY_COLUMNS = {
    "actor": ("actor", "actor_entity_id", "actor_country_code", "actor_sector"),
    "recipient": ("recipient", "recipient_entity_id", "recipient_country_code", "recipient_sector"),
}


def resolve_articles(session: Session, refs: Iterable[str]) -> dict[str, dict[str, Any]]:
    """ref -> {article_id, text} of the report it names, and own_article_id, the article itself (a copy's
    report is its canonical member). Refs that name nothing are left out."""
    probe = [{"ref": ref} for ref in sorted(set(refs))]
    return {row["ref"]: row for row in session.query_with("articles_for_refs", probe)} if probe else {}


def status_row(
    fix: EventFix | GroupFix, section: str, action: str, matched: int, status: str, detail: str | None
) -> dict[str, Any]:
    """The corrections-table row saying what an entry did."""
    return {
        "correction_id": fix.correction_id,
        "section": section,
        "action": action,
        "position": fix.position,
        "entry": fix.entry,
        "note": fix.note,
        "status": status,
        "matched": matched,
        "detail": detail,
        "checked_at": utcnow(),
    }


def _entities(session: Session, fixes: Iterable[EventFix]) -> dict[str, dict[str, Any]]:
    keys = {p.entity_key for f in fixes for _, p in f.changes if isinstance(p, Party) and p.entity_key}
    probe = [{"entity_key": k} for k in sorted(keys)]
    return {r["entity_key"]: r for r in session.query_with("entities_for_keys", probe)} if probe else {}


def _party_values(party: Party | None, entities: dict[str, dict[str, Any]]) -> tuple[Any, ...]:
    """(text, entity_id, country_code, sector, lat, lon) of a corrected participant or place."""
    if party is None:
        return (None,) * 6
    entity = entities.get(party.entity_key or "")
    if entity is None:
        return (party.text, None, party.country_code, party.sector, None, None)
    country = party.country_code or entity["country_code"]
    return (entity["name"], entity["entity_id"], country, party.sector, entity["lat"], entity["lon"])


def _apply(row: dict[str, Any], fix: EventFix, entities: dict[str, dict[str, Any]]) -> None:
    """Fold one fix into an event's overlay row."""
    row["corrected_by"].append(fix.correction_id)
    row["dropped"] = row["dropped"] or fix.drop
    for what, value in fix.changes:
        if what not in row["changed"]:
            row["changed"].append(what)
        if what == "type":
            row.update(type_columns(value))
        elif what == "mode":
            row["mode"] = value
        elif what == "date":
            row["event_date"] = value
        elif what == "location":
            text, entity_id, _, _, lat, lon = _party_values(value, entities)
            row.update(location=text, location_entity_id=entity_id, lat=lat, lon=lon)
        else:
            row.update(zip(_PARTY_COLUMNS[what], _party_values(value, entities)[:4], strict=True))


def _overlay_row(event_id: str, now: datetime) -> dict[str, Any]:
    return {"event_id": event_id, "corrected_by": [], "dropped": False, "changed": [], "applied_at": now}


def _match(fix: EventFix, article: dict[str, Any] | None, events: list[dict[str, Any]]) -> tuple[list, str, str | None]:
    """(events it applies to, status, detail)."""
    if article is None:
        return [], "stale", f"no article is {fix.article!r}"
    matched = [e for e in events if fix.matches(article["text"], e)]
    if not matched:
        found = "the quote is not in the article's text" if not fix.matches_text(article["text"]) else None
        return [], "stale", found or "no coded event in the quote fits its trigger and type"
    if len(matched) > 1 and not fix.every:
        listed = ", ".join(f"{e['trigger']!r} {e['event_type']}" for e in matched)
        return [], "ambiguous", f"{len(matched)} events match ({listed}): name trigger: and type:, or set every: true"
    return matched, "applied", None


def apply_event_corrections(
    session: Session, batch_keys: Iterable[str], run_id: str, corrections: Corrections
) -> StageReport:
    report = StageReport("event_corrections", sorted(set(batch_keys)), run_id)
    stamp = f"{corrections.fingerprint}/{session.data_version('events')}/{session.data_version('entities')}"
    if session.meta(STAMP_KEY) == stamp:
        report.details["unchanged"] = True
        return report.finish(session)
    now = utcnow()
    articles = resolve_articles(session, (f.article for f in corrections.events))
    probe = [{"article_id": a} for a in sorted({r["article_id"] for r in articles.values()})]
    events: defaultdict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in session.query_with("events_of_articles", probe) if probe else []:
        events[row["article_id"]].append(row)
    entities = _entities(session, corrections.events)
    overlay: dict[str, dict[str, Any]] = {}
    statuses = []
    for fix in corrections.events:
        article = articles.get(fix.article)
        matched, status, detail = _match(fix, article, events[article["article_id"]] if article else [])
        for event in matched:
            _apply(overlay.setdefault(event["event_id"], _overlay_row(event["event_id"], now)), fix, entities)
        statuses.append(status_row(fix, "events", "drop" if fix.drop else "change", len(matched), status, detail))
    with session.transaction():
        session.write("forget_event_corrections")
        session.insert("event_corrections", list(overlay.values()))
        session.write("forget_corrections", section="events")
        session.insert("corrections", statuses)
        session.set_meta(STAMP_KEY, stamp)
        session.bump_data_version("event_corrections")
    report.rows_in = len(corrections.events)
    report.new = len(overlay)
    report.details["entries"] = summarise(statuses)
    report.preview = [{k: s[k] for k in ("position", "action", "status", "matched", "detail")} for s in statuses[:10]]
    return report.finish(session)


@dataclass(frozen=True)
class FixOutcome:
    """What one group fix did: the ids it changed (articles moved, stories rebuilt: the caller's to count),
    how many listed articles it found, its status and why."""

    changed: frozenset[str]
    matched: int
    status: str
    detail: str | None


def apply_group_fixes(
    session: Session,
    report: StageReport,
    section: str,
    data: str,
    fixes: Iterable[GroupFix],
    apply: Callable[[GroupFix, dict[str, dict[str, Any]]], FixOutcome],
    finish: Callable[[set[str]], None] | None = None,
) -> set[str]:
    """Apply a section's group fixes in file order and record each entry's outcome, in one transaction;
    `finish` runs after the last fix, inside it, when any changed something. The data version `data` moves
    only when a fix changed something or an outcome differs, so a re-run with every entry in force publishes
    nothing. Returns the ids the fixes changed."""
    fixes = list(fixes)
    refs = resolve_articles(session, (r for f in fixes for r in f.refs))
    statuses, changed = [], set()
    with session.transaction():
        for fix in fixes:
            outcome = apply(fix, refs)
            changed |= outcome.changed
            statuses.append(status_row(fix, section, fix.action, outcome.matched, outcome.status, outcome.detail))
        if finish and changed:
            finish(changed)
        if _record_statuses(session, section, statuses, changed=bool(changed)):
            session.bump_data_version(data)
    report.details["corrections"] = summarise(statuses)
    return changed


def _record_statuses(session: Session, section: str, statuses: list[dict[str, Any]], changed: bool) -> bool:
    """Store the outcomes of a section's group fixes when the fixes changed something or an outcome differs
    from the stored one (a run with the fixes already in force writes nothing, so publishes nothing).
    Returns whether it wrote. Runs inside the caller's transaction."""
    if not changed and _outcomes(statuses) == _outcomes(session.query("corrections_of_section", section=section)):
        return False
    session.write("forget_corrections", section=section)
    session.insert("corrections", statuses)
    return True


def _outcomes(rows: Iterable[dict[str, Any]]) -> set[tuple]:
    return {(r["correction_id"], r["position"], r["action"], r["status"], r["matched"], r["detail"]) for r in rows}


def summarise(statuses: list[dict[str, Any]]) -> dict[str, int]:
    """How many entries ended in each status."""
    return dict(sorted(Counter(row["status"] for row in statuses).items()))
