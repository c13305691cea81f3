"""Run the real asset graph in-process on a temporary seed folder and warehouse."""

from __future__ import annotations

import itertools
from typing import Any

import dagster as dg
import duckdb

from pipelines.core.settings import Settings
from pipelines.core.sources.registry import feed_shard_keys
from pipelines.core.sources.seed_folder import all_shard_keys, shard_of
from pipelines.core.stages.clean_documents import clean_pending_documents
from pipelines.core.stages.nlp_parse import parse_pending_articles
from pipelines.core.stages.seed_documents import ingest_seed_shards
from pipelines.core.storage.embedded import EmbeddedWarehouse
from pipelines.definitions import ALL_ASSETS, build_resources
from pipelines.defs.common import range_tags
from pipelines.defs.resources import NewsSettings
from tests.conftest import seed_text


def news_resource(settings: Settings) -> NewsSettings:
    return NewsSettings.from_settings(settings)


def parsed_seeds(settings: Settings) -> EmbeddedWarehouse:
    """Seeds ingested, cleaned and parsed, without Dagster (for stage-level tests)."""
    warehouse = EmbeddedWarehouse(settings.warehouse_dir)
    keys = all_shard_keys()
    with warehouse.session() as session:
        ingest_seed_shards(session, settings, keys, "r1")
        clean_pending_documents(session, keys, "r1")
        parse_pending_articles(session, keys, "r1", processes=1)
    return warehouse


def materialize_range(settings: Settings, keys: list[str], **kwargs: Any) -> dg.ExecuteInProcessResult:
    """One run over the partitions keys[0]..keys[-1], as a single-run backfill does."""
    return dg.materialize(
        ALL_ASSETS,
        resources=build_resources(news_resource(settings)),
        tags=range_tags(keys[0], keys[-1]),
        **kwargs,
    )


def materialize_all(settings: Settings, **kwargs: Any) -> dg.ExecuteInProcessResult:
    """One run over every seed shard, as `make run` and a full backfill do."""
    return materialize_range(settings, all_shard_keys(), **kwargs)


def materialize_feeds(settings: Settings, **kwargs: Any) -> dg.ExecuteInProcessResult:
    """One run over every feed batch, as the feed-poll schedule requests."""
    return materialize_range(settings, feed_shard_keys(), **kwargs)


def published_rows(settings: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.warehouse_dir / "news.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def working_rows(settings: Settings, sql: str) -> list[tuple]:
    """Rows from the pipeline's working database (it holds run history even when nothing was published)."""
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
        return session.con.execute(sql).fetchall()


def table_snapshot(settings: Settings) -> dict[str, list[tuple]]:
    """Row sets of the tables whose content must not change on a re-run (timestamps of runs excluded)."""
    return {
        "documents": published_rows(settings, "SELECT document_id, uri, sha256 FROM documents ORDER BY 1"),
        "articles": published_rows(
            settings, "SELECT article_id, document_id, title, text, published_at FROM articles ORDER BY 1"
        ),
        "document_articles": published_rows(
            settings, "SELECT document_id, article_id, relation FROM document_articles ORDER BY 1"
        ),
        "rejects": published_rows(settings, "SELECT reject_id, stage, reason FROM rejects ORDER BY 1"),
    }


def seed_name_in(shard: int, stem: str) -> str:
    """A seed file name `stem_N.txt` that falls in seed shard `shard` (the first N that does)."""
    return next(name for i in itertools.count() if shard_of(name := f"{stem}_{i}.txt") == shard)


def syndicated_copy_of_001() -> str:
    """Seed 001 as a republisher prints it: new headline, byline and furniture, last paragraphs cut,
    two words changed."""
    _, _, body = seed_text("001").partition("\n")
    paragraphs = [p for p in body.split("\n\n") if p.strip()][:-3]
    text = "\n\n".join(paragraphs).replace("armoured vehicles", "armored vehicles").replace("Weeks", "Several weeks")
    return (
        "Moscow moves troops into Ain Issa after clashes\n\n"
        "By Staff Reporter, Middle East Desk\n\n"
        f"{text}\n\n"
        "Advertisement\n\n"
        "This story was first published by The Courier.\n"
    )
