"""Entity mentions stage: each pending article's stored parse → its mentions, resolved within the article.

Reads `article_nlp.docbin` (spaCy never runs here), calls pipelines.core.nlp.article_linking, and
replaces the article's rows of entity_mentions_base in one transaction per chunk, so re-processing an
article (new parse, new rules) replaces its mentions and a crash loses at most one chunk. Articles the
NLP pass skipped (not English) get a 'skipped' status and no mentions.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from pipelines.core.nlp import products
from pipelines.core.nlp.article_linking import entity_version, link_article
from pipelines.core.nlp.entities import Mention
from pipelines.core.stages.nlp_parse import stored_docs
from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, row_of, utcnow

# Articles per transaction (each carries its stored parse, ~7 KB).
CHUNK_SIZE = 512
PREVIEW_ROWS = 10
PARSED = "parsed"


def _mention_row(article_id: str, mention: Mention) -> dict[str, Any]:
    row = row_of(mention)
    del row["entity_id"]  # decided by the cross-article step (entity_links)
    return {"article_id": article_id, **row}


def article_mentions(session: Session, articles: list[dict[str, Any]]) -> dict[str, list[Any]]:
    """Linked mentions of each parsed article: as its parsing worker made them in this run, else from its
    stored parse (fetched only for those)."""
    found: dict[str, list[Any]] = {}
    missing = []
    for article in articles:
        if article["status"] != PARSED:
            continue
        made = products.mentions(article["article_id"], article["text_hash"], article["nlp_version"])
        if made is None:
            missing.append(article["article_id"])
        else:
            found[article["article_id"]] = made
    for article_id, doc in stored_docs(session, missing):
        found[article_id] = link_article(doc)
    return found


def extract_pending_mentions(
    session: Session, batch_keys: Iterable[str], run_id: str, chunk_size: int = CHUNK_SIZE, adopted: Iterable[str] = ()
) -> StageReport:
    """Mentions of the pending articles of the run's batches and of the `adopted` ones (as nlp_parse)."""
    keys = sorted(set(batch_keys))
    report = StageReport("entity_mentions", keys, run_id)
    scope = sorted(set(keys) | set(adopted))
    version = entity_version()
    types: Counter[str] = Counter()
    while True:
        pending = session.query("pending_entity_mentions", batch_keys=scope, version=version, limit=chunk_size)
        if not pending:
            break
        now = utcnow()
        found = article_mentions(session, pending)
        mention_rows: list[dict[str, Any]] = []
        status_rows = []
        for article in pending:
            parsed = article["status"] == PARSED
            mentions = found[article["article_id"]] if parsed else []
            mention_rows += [_mention_row(article["article_id"], m) for m in mentions]
            types.update(m.entity_type for m in mentions)
            status_rows.append(
                {
                    "article_id": article["article_id"],
                    "text_hash": article["text_hash"],
                    "nlp_version": article["nlp_version"],
                    "entity_version": version,
                    "status": "linked" if parsed else "skipped",
                    "mentions": len(mentions),
                    "processed_at": now,
                }
            )
        with session.transaction():
            session.write("delete_entity_mentions", article_ids=[a["article_id"] for a in pending])
            session.insert("entity_mentions_base", mention_rows)
            session.upsert("article_entities", status_rows, ["article_id"])
            session.bump_data_version("entity_mentions")
        report.rows_in += len(pending)
        report.new += len(mention_rows)
        report.duplicate += sum(1 for a in pending if a["status"] != PARSED)
        if len(report.preview) < PREVIEW_ROWS:
            wanted = ("article_id", "surface", "label", "entity_type", "entity_key")
            report.preview += [{k: r[k] for k in wanted} for r in mention_rows[: PREVIEW_ROWS - len(report.preview)]]
        if len(pending) < chunk_size:
            break
    report.details.update(mentions_by_type=dict(types), skipped_not_parsed=report.duplicate, entity_version=version)
    return report.finish(session)
