"""Linked entity mentions of articles, as the entity stages store them (entity_mentions, entities).

The event coder links participants and places through them (entity id, country, coordinates), and the
story clusterer compares articles by the entity ids they mention.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from pipelines.core.events.actors import EntityRef
from pipelines.core.nlp.entities import Mention, mentions_from_rows
from pipelines.core.storage import Session


def _rows_of_articles(session: Session, article_ids: Iterable[str], statement: str) -> list[dict[str, Any]]:
    """A statement's rows for just these articles, joined against them as `probe` (none: no query)."""
    probe = [{"article_id": a} for a in article_ids]
    return session.query_with(statement, probe) if probe else []


def linked_mentions(session: Session, article_ids: Iterable[str]) -> dict[str, list[Mention]]:
    """Each article's mentions with their entity ids, in text order."""
    rows: defaultdict[str, list[dict]] = defaultdict(list)
    for row in _rows_of_articles(session, article_ids, "mentions_for_articles"):
        rows[row["article_id"]].append(row)
    return {article_id: mentions_from_rows(found) for article_id, found in rows.items()}


def mentioned_entities(session: Session, article_ids: Iterable[str]) -> dict[str, frozenset[str]]:
    """The entity ids each article mentions (articles without linked mentions are left out)."""
    rows = _rows_of_articles(session, article_ids, "entities_of_articles")
    return {row["article_id"]: frozenset(row["entity_ids"]) for row in rows}


def entity_details(session: Session, mentions: Iterable[Mention]) -> dict[str, EntityRef]:
    """Name, type, country and coordinates of the entities the mentions point to."""
    ids = sorted({m.entity_id for m in mentions if m.entity_id})
    if not ids:
        return {}
    rows = session.query_with("entities_by_id", [{"entity_id": i} for i in ids])
    return {
        r["entity_id"]: EntityRef(r["entity_id"], r["name"], r["type"], r["country_code"], r["lat"], r["lon"])
        for r in rows
    }
