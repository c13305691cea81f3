"""The DuckLake backend offline: DuckDB loads ducklake, postgres_scanner and httpfs from the PyPI packages;
a lake with its catalog in PostgreSQL and its files on S3 (SeaweedFS) or a local folder takes two writer
processes committing at once, while a reader keeps answering from its snapshot; search() works in the lake."""

from __future__ import annotations

import contextlib
import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from tests.cluster.conftest import require

require("PostgreSQL", "weed")

from pipelines.cluster.profile import Cluster  # noqa: E402
from pipelines.core.settings import PROJECT_ROOT  # noqa: E402
from pipelines.core.storage.lake import LakeSettings, search_macro_statements  # noqa: E402

pytestmark = pytest.mark.slow


def _new_lake(cluster: Cluster, name: str, data_path: str) -> LakeSettings:
    """A lake of its own: a fresh catalog database, files at `data_path`."""
    cluster.up(["postgres", "seaweedfs"])
    con = cluster._pg_connect("postgres")
    con.autocommit = True
    with con.cursor() as cur:
        cur.execute(f"CREATE DATABASE {name}")
    con.close()
    return replace(LakeSettings.from_env(), catalog_db=name, data_path=data_path)


def test_two_writers_commit_while_a_reader_keeps_its_snapshot(cluster: Cluster) -> None:
    lake = _new_lake(cluster, "concurrent", "s3://news-lake/concurrent/")
    setup = lake.connect()
    setup.execute("CREATE TABLE items (id VARCHAR NOT NULL, writer VARCHAR, txn INTEGER)")
    setup.execute("CREATE TABLE progress (writer VARCHAR NOT NULL, txn INTEGER)")
    setup.execute("INSERT INTO items VALUES ('before', 'setup', 0)")
    setup.close()

    reader = lake.connect(read_only=True)
    reader.execute("BEGIN TRANSACTION")
    assert reader.execute("SELECT count(*) FROM items").fetchone()[0] == 1
    env = {**os.environ, "NEWS_WAREHOUSE_URL": lake.url}
    writers = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.cluster.lake_writer", name, "8", "500"],
            cwd=PROJECT_ROOT,
            env=env,
            stdout=subprocess.PIPE,
            text=True,
        )
        for name in ("a", "b")
    ]
    answers = []
    while any(w.poll() is None for w in writers):  # the analyst keeps asking while both commit
        answers.append(reader.execute("SELECT count(*), count(DISTINCT id) FROM items").fetchone())
        time.sleep(0.05)
    outputs = [json.loads(w.stdout.read()) for w in writers]
    assert [w.returncode for w in writers] == [0, 0], outputs
    assert len(answers) >= 5 and set(answers) == {(1, 1)}  # one snapshot throughout, no lock errors
    reader.execute("COMMIT")
    reader.close()

    with contextlib.closing(lake.connect(read_only=True)) as fresh:
        assert fresh.execute("SELECT count(*), count(DISTINCT id) FROM items").fetchone() == (8001, 8001)
        assert fresh.execute("SELECT writer, txn FROM progress ORDER BY writer").fetchall() == [("a", 7), ("b", 7)]
        snapshots = fresh.execute("SELECT count(*) FROM lake.snapshots()").fetchone()[0]
    assert snapshots >= 1 + 3 + 16  # creation, setup, and one commit per writer transaction
    print("commits retried after a conflict:", {o["writer"]: o["retries"] for o in outputs})


def test_lake_on_a_local_folder_travels_back_to_a_snapshot(cluster: Cluster, tmp_path: Path) -> None:
    lake = _new_lake(cluster, "folder", str(tmp_path / "files") + "/")
    with contextlib.closing(lake.connect()) as con:
        con.execute("CREATE TABLE t AS SELECT range AS i FROM range(3000)")
        before = con.execute("SELECT max(snapshot_id) FROM lake.snapshots()").fetchone()[0]
        con.execute("INSERT INTO t SELECT range FROM range(3000, 10000)")
        assert con.execute("SELECT count(*) FROM t").fetchone()[0] == 10000
    with contextlib.closing(lake.connect(alias="old", snapshot=before)) as old:
        assert old.execute("SELECT count(*) FROM t").fetchone()[0] == 3000
    assert list((tmp_path / "files").rglob("*.parquet"))  # beyond the catalog's inlining limit, Parquet files


def test_search_macro_answers_a_fresh_reader_of_the_lake(cluster: Cluster) -> None:
    lake = _new_lake(cluster, "searchable", "s3://news-lake/searchable/")
    tokens_macro, search_macro = search_macro_statements((PROJECT_ROOT / "warehouse" / "views.sql").read_text())
    con = lake.connect()
    con.execute(tokens_macro)
    con.execute(
        "CREATE TABLE articles AS SELECT * FROM (VALUES "
        "('a1', 'd1', 'Military police patrol', 'Soldiers and military police patrolled the border.'),"
        "('a2', 'd2', 'Oil prices', 'Oil prices rose again on Monday.')) "
        "AS v(article_id, document_id, title, text)"
    )
    con.execute("ALTER TABLE articles ADD COLUMN published_at TIMESTAMP")
    con.execute(
        "CREATE TABLE search_postings AS SELECT article_id, term, count(*)::INTEGER AS tf "
        "FROM articles, unnest(search_tokens(title || ' ' || text)) AS t(term) GROUP BY ALL"
    )
    con.execute(
        "CREATE TABLE search_docs AS SELECT article_id, 'h' AS text_hash, sum(tf)::INTEGER AS length "
        "FROM search_postings GROUP BY article_id"
    )
    con.execute(search_macro)
    con.close()
    with contextlib.closing(lake.connect(read_only=True)) as reader:  # as `make cluster-sql` opens it
        hits = reader.execute("SELECT article_id FROM search('patrolling soldiers')").fetchall()
    assert hits == [("a1",)]
