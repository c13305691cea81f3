"""Linked entity mentions of articles, as the entity stage stores them (entities, entity_mentions).

The event coder and the story clusterer use them when they exist: linked participants get entity ids,
countries and coordinates, and stories compare entity ids instead of names. In a warehouse without the
entity tables every article simply has no linked mention, and both stages fall back to the parse's names.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from pipelines.core.events.actors import EntityRef, Mention
from pipelines.core.warehouse import Session


def linked_mentions(session: Session, article_ids: Iterable[str]) -> dict[str, list[Mention]]:
    """Mentions by article id; empty when the warehouse has no entity tables."""
    ids = [{"article_id": a} for a in article_ids]
    if not ids or not session.scalar("linked_entities_available"):
        return {}
    found: defaultdict[str, list[Mention]] = defaultdict(list)
    for row in session.with_rows("probe", ids, "entity_mentions_for"):
        entity = EntityRef(row["entity_id"], row["name"], row["type"], row["country_code"], row["lat"], row["lon"])
        found[row["article_id"]].append(Mention(row["start_char"], row["end_char"], entity))
    return dict(found)
