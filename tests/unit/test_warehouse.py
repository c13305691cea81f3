import multiprocessing
import time
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from pipelines.core.storage import WarehouseBusy, WarehouseError
from pipelines.core.storage.embedded import EmbeddedWarehouse


def _hold_lock(directory: str, seconds: float, ready: "multiprocessing.synchronize.Event") -> None:
    with EmbeddedWarehouse(Path(directory)).session():
        ready.set()
        time.sleep(seconds)


def test_migrations_and_comments(warehouse: EmbeddedWarehouse) -> None:
    with warehouse.session() as s:
        tables = {r[0] for r in s.con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        expected = {"documents", "articles_base", "rejects", "document_articles", "pipeline_runs", "seed_files"}
        assert expected <= tables
        uncommented = s.con.execute(
            "SELECT table_name, column_name FROM duckdb_columns() "
            "WHERE schema_name = 'main' AND NOT internal AND comment IS NULL"
        ).fetchall()
        assert uncommented == []
        assert (
            s.con.execute("SELECT count(*) FROM duckdb_tables() WHERE NOT internal AND comment IS NULL").fetchone()[0]
            == 0
        )
    with warehouse.session() as s:  # second open: nothing re-applied
        assert s.con.execute("SELECT count(*) FROM schema_migrations").fetchone()[0] >= 1


def test_upsert_replaces_and_insert_new_ignores(warehouse: EmbeddedWarehouse) -> None:
    with warehouse.session() as s:
        s.upsert("warehouse_meta", [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}], ["key"])
        s.upsert("warehouse_meta", [{"key": "a", "value": "3"}], ["key"])
        s.insert_new("warehouse_meta", [{"key": "b", "value": "ignored"}, {"key": "c", "value": "4"}], ["key"])
        got = dict(s.con.execute("SELECT key, value FROM warehouse_meta WHERE key IN ('a','b','c')").fetchall())
        assert got == {"a": "3", "b": "2", "c": "4"}
        with pytest.raises(WarehouseError, match="not in table"):
            s.upsert("warehouse_meta", [{"key": "x", "nope": 1}], ["key"])
        with pytest.raises(WarehouseError, match="bad table name"):
            s.count("articles; drop table documents")


def test_rows_with_different_keys_keep_every_column(warehouse: EmbeddedWarehouse) -> None:
    # pyarrow alone would take the columns of the first row and silently drop "reason" for the second.
    with warehouse.session() as s:
        s.upsert("rejects", [_reject("r1"), _reject("r2") | {"code_version": "v2"}], ["reject_id"])
        got = s.con.execute("SELECT reject_id, code_version FROM rejects ORDER BY 1").fetchall()
    assert got == [("r1", None), ("r2", "v2")]


def _reject(reject_id: str) -> dict[str, object]:
    return {
        "reject_id": reject_id,
        "document_id": "d",
        "batch_key": "b",
        "stage": "read",
        "reason": "test",
        "uri": "u",
        "rejected_at": datetime(2020, 1, 1),
    }


def test_transaction_rolls_back(warehouse: EmbeddedWarehouse) -> None:
    with warehouse.session() as s:
        with pytest.raises(RuntimeError), s.transaction():
            s.set_meta("k", "v")
            raise RuntimeError("boom")
        assert s.meta("k") is None


def test_publish_is_atomic_and_skips_when_unchanged(warehouse: EmbeddedWarehouse) -> None:
    with warehouse.session() as s:
        s.bump_data_version("documents")
        first = warehouse.publish(s)
    reader = duckdb.connect(str(warehouse.published_path), read_only=True)  # an analyst keeps it open
    with warehouse.session() as s:
        assert not warehouse.publish(s).published
        s.set_meta("marker", "new")
        s.bump_data_version("documents")
        second = warehouse.publish(s)
    assert first.published and second.published and second.data_version == first.data_version + 1
    # The open handle still sees its snapshot; a new one sees the new file.
    assert reader.execute("SELECT count(*) FROM warehouse_meta WHERE key = 'marker'").fetchone()[0] == 0
    reader.close()  # DuckDB caches one database instance per path and process: close it to see the new file
    fresh = duckdb.connect(str(warehouse.published_path), read_only=True)
    assert fresh.execute("SELECT value FROM warehouse_meta WHERE key = 'marker'").fetchone()[0] == "new"
    assert not list(warehouse.directory.glob(".*.tmp"))


def test_lock_makes_other_processes_wait(warehouse: EmbeddedWarehouse) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(warehouse.directory), 1.5, ready))
    holder.start()
    assert ready.wait(30)
    impatient = EmbeddedWarehouse(warehouse.directory, lock_timeout=0.2)
    with pytest.raises(WarehouseBusy, match="locked by another pipeline process"), impatient.session():
        pass
    started = time.monotonic()
    with warehouse.session() as s:  # waits for the holder instead of failing
        s.set_meta("after", "1")
    assert time.monotonic() - started > 0.5
    holder.join(10)


def test_a_long_wait_for_the_lock_says_who_holds_it(
    warehouse: EmbeddedWarehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.core.storage import embedded

    monkeypatch.setattr(embedded, "LOCK_NOTICE_SECONDS", 0.3)
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    holder = ctx.Process(target=_hold_lock, args=(str(warehouse.directory), 1.5, ready))
    holder.start()
    assert ready.wait(30)
    said: list[str] = []
    with EmbeddedWarehouse(warehouse.directory, on_wait=said.append).session():
        pass
    holder.join(10)
    assert len(said) == 1 and f"pid {holder.pid} since" in said[0] and "waiting for" in said[0]


def test_nested_session_is_refused(warehouse: EmbeddedWarehouse) -> None:
    with warehouse.session(), pytest.raises(WarehouseError, match="nested"), warehouse.session():
        pass


def test_edited_migration_is_refused(
    warehouse: EmbeddedWarehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pipelines.core.storage import migrate

    with warehouse.session():
        pass
    fake = tmp_path / "sql"
    (fake / "migrations").mkdir(parents=True)
    for src in (migrate.SQL_DIR / "migrations").glob("*.sql"):
        (fake / "migrations" / src.name).write_text(src.read_text() + "\n-- edited\n")
    (fake / "views.sql").write_text((migrate.SQL_DIR / "views.sql").read_text())
    monkeypatch.setattr(migrate, "SQL_DIR", fake)
    with pytest.raises(WarehouseError, match="changed after it was applied"), warehouse.session():
        pass


def test_session_opens_read_the_migrations_once_and_still_catch_an_edit(
    warehouse: EmbeddedWarehouse, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from pipelines.core.storage import migrate

    fake = tmp_path / "sql"
    (fake / "migrations").mkdir(parents=True)
    for src in (migrate.SQL_DIR / "migrations").glob("*.sql"):
        (fake / "migrations" / src.name).write_text(src.read_text())
    (fake / "views.sql").write_text((migrate.SQL_DIR / "views.sql").read_text())
    monkeypatch.setattr(migrate, "SQL_DIR", fake)
    with warehouse.session():
        pass
    read: list[Path] = []
    real_read_text = Path.read_text
    monkeypatch.setattr(Path, "read_text", lambda self, *a, **k: read.append(self) or real_read_text(self, *a, **k))
    with warehouse.session():
        pass
    assert not [p for p in read if p.is_relative_to(fake)]
    edited = sorted((fake / "migrations").glob("*.sql"))[0]
    with edited.open("a") as handle:
        handle.write("\n-- edited\n")
    with pytest.raises(WarehouseError, match="changed after it was applied"), warehouse.session():
        pass


def test_search_index_follows_edits_incrementally(settings) -> None:
    from pipelines.core.stages.publish import index_pending_articles
    from tests.integration.helpers import materialize_all

    assert materialize_all(settings).success
    warehouse = EmbeddedWarehouse(settings.warehouse_dir)
    with warehouse.session() as s:
        assert index_pending_articles(s) == 0  # the run indexed everything already
        before = s.con.execute("SELECT count(*) FROM search('Hamoud')").fetchone()[0]
        assert before == 1
    seed = next(settings.seeds_dir.glob("000_*.txt"))
    seed.write_text(seed.read_text().replace("Hamoud", "Spokesman"), encoding="utf-8")
    assert materialize_all(settings).success
    with warehouse.session() as s:
        assert s.con.execute("SELECT count(*) FROM search('Hamoud')").fetchone()[0] == 0
        assert s.con.execute("SELECT count(*) FROM search('spokesman')").fetchone()[0] >= 1
        assert s.con.execute("SELECT count(*) FROM search_docs").fetchone()[0] == 5


def _article(article_id: str, first_seen: datetime, published: datetime | None = None) -> dict[str, object]:
    return {
        "article_id": article_id,
        "document_id": f"doc-{article_id}",
        "batch_key": "seeds-00",
        "identity_key": article_id,
        "published_at": published,
        "language": "en",
        "text": "text",
        "word_count": 1,
        "text_hash": article_id,
        "cleaner_version": "test",
        "first_seen_at": first_seen,
        "updated_at": first_seen,
    }


def test_recent_reports_window(warehouse: EmbeddedWarehouse) -> None:
    """The brief counts recent_reports: the reports first seen in the window that ends with the latest one
    seen, whatever their publication date (an archive backfilled today is recent), copies left out."""
    latest = datetime(2026, 3, 1)
    with warehouse.session() as s:
        s.insert(
            "articles_base",
            [
                _article("old", datetime(2025, 12, 1)),  # seen 90 days before the latest
                _article("archive", datetime(2026, 2, 10), published=datetime(2005, 1, 1)),
                _article("copy", datetime(2026, 2, 25)),
                _article("latest", latest, published=datetime(2026, 2, 28)),
            ],
        )
        s.insert(
            "article_dups",
            [
                {
                    "article_id": "copy",
                    "dup_group_id": "g",
                    "canonical_article_id": "latest",
                    "similarity_to_canonical": 0.9,
                    "dup_method": "minhash",
                    "dedupe_version": "test",
                    "grouped_at": latest,
                }
            ],
        )
        got = dict(s.con.execute("SELECT article_id, article_time FROM recent_reports(60)").fetchall())
        assert got == {"archive": datetime(2005, 1, 1), "latest": datetime(2026, 2, 28)}
        assert [r[0] for r in s.con.execute("SELECT article_id FROM recent_reports(5)").fetchall()] == ["latest"]
