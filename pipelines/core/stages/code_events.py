"""Events stage: code the events of the batch's parsed articles from their stored parse (no model run).

An article is coded again when its text, its parse or the coder version changes; its old events are
deleted and the new ones written in the same transaction, so a re-run (or a crash and a re-run) leaves
exactly one coding per article.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pipelines.core.events.actors import EntityRef, Participant, linked_lookup
from pipelines.core.events.coder import CODER_VERSION, CodedEvent, code_events
from pipelines.core.ids import stable_id
from pipelines.core.nlp.entities import Mention
from pipelines.core.nlp.parse import deserialize_doc, reading_vocab
from pipelines.core.stages.entity_links import entity_details, linked_mentions
from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, utcnow
from pipelines.core.workers import PENDING_ROUND, map_chunks

# Articles per transaction.
CHUNK_SIZE = 2000
PREVIEW_ROWS = 10


def event_id(article_id: str, event: CodedEvent) -> str:
    """Hash of the article, sentence, trigger offset and type: the same trigger coded the same way keeps
    its id across re-parses of the same text and new coder versions."""
    return stable_id("event", article_id, str(event.sentence_idx), str(event.trigger_char), event.event_type)


def _entity_id(participant: Participant | None) -> str | None:
    return participant.entity.entity_id if participant and participant.entity else None


def _participant_columns(prefix: str, people: tuple[Participant, ...]) -> dict[str, Any]:
    first = people[0] if people else None
    return {
        prefix: first.text if first else None,
        f"{prefix}_entity_id": _entity_id(first),
        f"{prefix}_country_code": first.country_code if first else None,
        f"{prefix}_sector": first.sector if first else None,
    }


def event_rows(article: dict[str, Any], event: CodedEvent, now: datetime) -> tuple[dict, list[dict]]:
    """The events row and the event_actors rows of one coded event."""
    key = event_id(article["article_id"], event)
    place = event.location
    coordinates = place.entity if place and place.entity else None
    row = {
        "event_id": key,
        "article_id": article["article_id"],
        "sentence_idx": event.sentence_idx,
        "start_char": event.start_char,
        "end_char": event.end_char,
        "trigger": event.trigger,
        "trigger_char": event.trigger_char,
        "event_type": event.event_type,
        "quad_class": event.quad_class,
        "mode": event.mode,
        **_participant_columns("actor", event.actors),
        "actor_source": event.actor_source,
        **_participant_columns("recipient", event.recipients),
        "location": place.text if place else None,
        "location_entity_id": _entity_id(place),
        "lat": coordinates.lat if coordinates else None,
        "lon": coordinates.lon if coordinates else None,
        "event_date": event.event_date,
        "date_text": event.date_text,
        "negated": event.negated,
        "hypothetical": event.hypothetical,
        "future": event.future,
        "reported": event.reported,
        "confidence": event.confidence,
        "coder_version": CODER_VERSION,
        "batch_key": article["batch_key"],
        "coded_at": now,
    }
    participants = [
        {
            "event_id": key,
            "role": role,
            "position": position,
            "text": p.text,
            "start_char": p.start_char,
            "end_char": p.end_char,
            "entity_id": _entity_id(p),
            "country_code": p.country_code,
            "sector": p.sector,
            "resolved_from": p.resolved_from,
            "source": p.source,
        }
        for role, people in (("actor", event.actors), ("recipient", event.recipients))
        for position, p in enumerate(people)
    ]
    return row, participants


def _coding(article: dict[str, Any], events: int, now: datetime) -> dict[str, Any]:
    return {
        "article_id": article["article_id"],
        "text_hash": article["text_hash"],
        "nlp_version": article["nlp_version"],
        "coder_version": CODER_VERSION,
        "events": events,
        "coded_at": now,
    }


@dataclass(frozen=True)
class _ToCode:
    """One article for a coding worker: its stored parse and what its mentions link to."""

    docbin: bytes
    published: date | None
    mentions: list[Mention]
    entities: dict[str, EntityRef]


def _to_code(
    article: dict[str, Any], docbin: bytes, mentions: dict[str, list[Mention]], entities: dict[str, EntityRef]
) -> _ToCode:
    found = mentions.get(article["article_id"], [])
    linked = {m.entity_id: entities[m.entity_id] for m in found if m.entity_id in entities}
    published = article["published_at"].date() if article["published_at"] else None
    return _ToCode(docbin, published, found, linked)


def _code_chunk(items: Sequence[_ToCode]) -> list[list[CodedEvent]]:
    """Code a chunk of articles (in a worker process for large batches)."""
    vocab = reading_vocab()
    return [
        code_events(deserialize_doc(vocab, i.docbin), i.published, linked_lookup(i.mentions, i.entities)) for i in items
    ]


def code_pending_events(
    session: Session, batch_keys: Iterable[str], run_id: str, chunk_size: int = CHUNK_SIZE, adopted: Iterable[str] = ()
) -> StageReport:
    """Code the pending articles of the run's batches and of the `adopted` ones (as nlp_parse)."""
    keys = sorted(set(batch_keys))
    report = StageReport("events", keys, run_id)
    scope = sorted(set(keys) | set(adopted))
    by_type: dict[str, int] = {}
    while True:
        pending = session.query("pending_event_coding", batch_keys=scope, version=CODER_VERSION, limit=PENDING_ROUND)
        for start in range(0, len(pending), chunk_size):
            _code_and_write(session, pending[start : start + chunk_size], len(pending), report, by_type)
        if len(pending) < PENDING_ROUND:
            break
    report.details["events_by_type"] = dict(sorted(by_type.items()))
    report.details["coder_version"] = CODER_VERSION
    return report.finish(session)


def _code_and_write(
    session: Session, pending: list[dict[str, Any]], total: int, report: StageReport, by_type: dict[str, int]
) -> None:
    """Code one chunk of the `total` pending articles and replace their events in one transaction."""
    now = utcnow()
    mentions = linked_mentions(session, (a["article_id"] for a in pending))
    entities = entity_details(session, (m for found in mentions.values() for m in found))
    parsed = [a for a in pending if a["status"] == "parsed"]
    # The parses of just these articles: selecting them with the pending rows would read every stored
    # parse of the warehouse (the join runs before the limit), a cost that grows with its size.
    probe = [{"article_id": a["article_id"]} for a in parsed]
    # a chunk of skipped articles only (one edited into a copy of another) has no parse to read
    docbins = {r["article_id"]: r["docbin"] for r in session.query_with("docbins_for", probe)} if probe else {}
    to_code = [_to_code(a, docbins[a["article_id"]], mentions, entities) for a in parsed]
    # Workers are chosen by the size of the whole round, so its last, short chunk is not coded here alone.
    coded = map_chunks(_code_chunk, to_code, total=total)
    coded_by_article = dict(zip((a["article_id"] for a in parsed), coded, strict=True))
    events, actors, codings = [], [], []
    for article in pending:
        rows = {}
        for event in coded_by_article.get(article["article_id"], []):  # none: its parse became a skip
            row, participants = event_rows(article, event, now)
            if row["event_id"] not in rows:  # one trigger, one type: one event
                rows[row["event_id"]] = row
                actors.extend(participants)
                by_type[event.event_type] = by_type.get(event.event_type, 0) + 1
        events.extend(rows.values())
        codings.append(_coding(article, len(rows), now))
    with session.transaction():
        session.write_with("forget_events", [{"article_id": a["article_id"]} for a in pending])
        session.insert("events", events)
        session.insert("event_actors", actors)
        session.upsert("article_event_coding", codings, ["article_id"])
        session.bump_data_version("events")
    report.rows_in += len(pending)
    report.new += len(events)
    report.preview.extend(
        {k: e[k] for k in ("event_type", "mode", "actor", "recipient", "trigger", "event_date")}
        for e in events[: PREVIEW_ROWS - len(report.preview)]
    )
