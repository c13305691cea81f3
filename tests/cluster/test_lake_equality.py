"""The seeds through the lake (NEWS_WAREHOUSE_URL=ducklake:…, catalog in PostgreSQL, files in a folder) give the
rows the embedded default gives: every comparison is EXCEPT ALL both ways, so a row missing, extra or doubled on
either side fails it. The corpus is the seed folder plus a syndicated copy of one seed (a near-duplicate) and a
verbatim copy of another under a second name (an exact copy), so groups and copies are compared too."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest

from tests.cluster.conftest import require

require("PostgreSQL")

from pipelines.cluster.profile import Cluster  # noqa: E402
from pipelines.core.settings import Settings  # noqa: E402
from pipelines.core.storage import open_storage  # noqa: E402
from pipelines.core.storage.lake import LakeSettings  # noqa: E402
from pipelines.core.storage.sql import sql_literal  # noqa: E402
from tests.conftest import SEEDS, seed_text  # noqa: E402
from tests.integration.helpers import materialize_all, syndicated_copy_of_001  # noqa: E402

pytestmark = pytest.mark.slow

# What must be the same, as analysts read it (timestamps of when a row was written are left out).
SAME = {
    "articles": "SELECT article_id, text_hash, title, language, published_at, batch_key FROM {db}.articles",
    "documents": "SELECT document_id, article_id, relation FROM {db}.document_articles",
    "dup groups": "SELECT article_id, dup_group_id, canonical_article_id, dup_method FROM {db}.article_dups",
    "parses": "SELECT article_id, status, text_hash FROM {db}.article_nlp",
    "mentions": "SELECT article_id, start_char, end_char, entity_key, surface_key, entity_type "
    "FROM {db}.entity_mentions_base",
    "entities": "SELECT entity_id, name, type, country_code FROM {db}.entities",
    "stories": "SELECT article_id, story_id FROM {db}.article_stories",
    "events": "SELECT event_id, article_id, event_type, actor, actor_entity_id FROM {db}.events",
    "rejects": "SELECT reject_id, stage, reason FROM {db}.rejects",
    "search": "SELECT article_id, term, tf FROM {db}.search_postings",
}


def _corpus(folder: Path) -> Path:
    shutil.copytree(SEEDS, folder)
    (folder / "syndicated_001.txt").write_text(syndicated_copy_of_001(), encoding="utf-8")
    (folder / "reprint_003.txt").write_text(seed_text("003"), encoding="utf-8")
    return folder


def _new_lake(cluster: Cluster, name: str, data_path: Path) -> str:
    """NEWS_WAREHOUSE_URL of a fresh lake: its own catalog database, files in `data_path`."""
    cluster.up(["postgres"])
    con = cluster._pg_connect("postgres")
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f"DROP DATABASE IF EXISTS {name}")
        cur.execute(f"CREATE DATABASE {name}")
    con.close()
    data_path.mkdir(parents=True)
    base = LakeSettings.from_env()
    return f"ducklake:postgres://{base.pg_user}@{base.pg_host}:{base.pg_port}/{name}?data_path={data_path}/"


def test_the_seeds_through_the_lake_give_the_rows_of_the_embedded_default(cluster: Cluster, tmp_path: Path) -> None:
    seeds = _corpus(tmp_path / "seeds")
    embedded = Settings(seeds, tmp_path / "embedded")
    lake = Settings(seeds, tmp_path / "lake-folder", warehouse_url=_new_lake(cluster, "equality", tmp_path / "lake"))
    assert materialize_all(embedded).success
    assert materialize_all(lake).success

    with contextlib.closing(open_storage(lake).read_published()) as con:
        con.execute(f"ATTACH {sql_literal(str(embedded.warehouse_dir / 'news.duckdb'))} AS embedded (READ_ONLY)")
        lake_db = con.execute("SELECT current_database()").fetchone()[0]
        counts, differing = {}, {}
        for name, sql in SAME.items():
            mine, theirs = sql.format(db=lake_db), sql.format(db="embedded")
            counts[name] = con.execute(f"SELECT count(*) FROM ({mine})").fetchone()[0]
            only_lake = con.execute(f"SELECT count(*) FROM ({mine} EXCEPT ALL {theirs})").fetchone()[0]
            only_embedded = con.execute(f"SELECT count(*) FROM ({theirs} EXCEPT ALL {mine})").fetchone()[0]
            if only_lake or only_embedded:
                differing[name] = (only_lake, only_embedded)
    assert differing == {}
    # The comparison compared something: the corpus's articles, its copies, entities, stories and events.
    assert all(counts[name] for name in ("articles", "dup groups", "mentions", "entities", "stories", "events"))
    assert counts["documents"] > counts["articles"]  # the verbatim copy is a document of an existing article
