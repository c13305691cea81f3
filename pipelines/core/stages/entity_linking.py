"""Entities stage: join the keys of all mentions into entities (pipelines.core.nlp.entity_clusters).

This step looks across articles, so it runs over the distinct keys in use (a few per entity), not over
articles or mentions: one grouped query, a pure function, and writes of only the links and entities
that changed. It is skipped when neither the mentions, the overrides file nor the linker changed since
the last time (warehouse_meta entities_linked).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from pipelines.core.nlp.entity_clusters import LINKER_VERSION, EntityRow, KeyUse, link_keys
from pipelines.core.nlp.overrides import Overrides
from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, row_of, utcnow

STAMP_KEY = "entities_linked"


def _entity_dict(row: EntityRow) -> dict[str, Any]:
    return row_of(row) | {"aliases": list(row.aliases)}


def link_entities(session: Session, batch_keys: Iterable[str], run_id: str, overrides: Overrides) -> StageReport:
    report = StageReport("entities", sorted(set(batch_keys)), run_id)
    stamp = f"{LINKER_VERSION}/{overrides.fingerprint}/{session.data_version('entity_mentions')}"
    report.details["overrides"] = overrides.fingerprint
    if session.meta(STAMP_KEY) == stamp:
        report.details["unchanged"] = True
        return report.finish(session)
    uses = [KeyUse(**row) for row in session.query("entity_key_uses")]
    links, entities = link_keys(uses, overrides)

    stored_links = {
        (r["entity_key"], r["surface_key"]): (r["entity_id"], r["rule"]) for r in session.query("stored_entity_links")
    }
    changed_links = [
        row_of(link)
        for link in links
        if stored_links.get((link.entity_key, link.surface_key)) != (link.entity_id, link.rule)
    ]
    in_use = {(use.entity_key, use.surface_key) for use in uses}
    unused = [{"entity_key": e, "surface_key": s} for e, s in sorted(stored_links.keys() - in_use)]
    stored_entities = {r["entity_id"]: r for r in session.query("stored_entities")}
    rows = [_entity_dict(e) for e in entities]
    changed = [r for r in rows if stored_entities.get(r["entity_id"]) != r]
    now = utcnow()
    with session.transaction():
        session.upsert("entity_links", changed_links, ["entity_key", "surface_key"])
        if unused:
            session.write_with("forget_entity_links", unused)
        session.upsert("entities", [r | {"updated_at": now} for r in changed], ["entity_id"])
        session.write("delete_unused_entities")
        session.set_meta(STAMP_KEY, stamp)
        session.bump_data_version("entities")
    report.rows_in = len(uses)
    report.new = sum(1 for r in changed if r["entity_id"] not in stored_entities)
    report.updated = len(changed) - report.new
    report.details.update(
        entities=len(rows),
        entities_removed=len(set(stored_entities) - {r["entity_id"] for r in rows}),
        links_changed=len(changed_links),
        links_removed=len(unused),
    )
    report.preview = [{k: r[k] for k in ("name", "type", "country_code", "geo_status")} for r in changed[:10]]
    return report.finish(session)
