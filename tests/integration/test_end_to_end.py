"""The whole asset graph on the seeds, through Dagster, into a temporary warehouse."""

from __future__ import annotations

import base64
import json
import shutil
import zlib
from datetime import datetime
from pathlib import Path

import dagster as dg
from dagster._core.test_utils import create_run_for_test

from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import shard_key, shard_of
from pipelines.definitions import defs
from pipelines.defs.sensors import seed_folder_sensor
from tests.conftest import SEEDS
from tests.integration.helpers import materialize_all, news_resource, published_rows, table_snapshot

HEADLINES = {
    "Russia announced the sending of additional forces to the Syrian region of Ain Isa",
    "Russia sends reinforcements to northeast Syria following deadly Turkish-Kurdish clashes",
    "Kremlin asks Turkey: Help stop attacks on Syria, Russian forces in Idlib",
    "Russia and USA are very close to each other in Syria",
}


def test_definitions_load() -> None:
    dg.Definitions.validate_loadable(defs)
    assert defs.resolve_job_def("ingest") is not None


def test_asset_graph_reads_as_the_flow() -> None:
    graph = defs.resolve_asset_graph()
    groups = {key.to_user_string(): graph.get(key).group_name for key in graph.get_all_asset_keys()}
    assert groups == {
        "documents": "sources",
        "articles": "articles",
        "near_duplicates": "dedupe",
        "nlp_parses": "nlp",
        "entity_mentions": "entities",
        "entities": "entities",
        "stories": "stories_events",
        "events": "stories_events",
        "event_corrections": "stories_events",
        "analyst_warehouse": "publish",
        "analyst_brief": "publish",
    }
    for key in graph.get_all_asset_keys():
        node = graph.get(key)
        assert node.description and node.owners == ["team:news-pipeline"] and node.kinds, key
    assert defs.resolve_sensor_def("seed_folder_sensor").description
    assert defs.resolve_schedule_def("feed_poll_schedule").description


def test_seeds_end_to_end_idempotent_and_incremental(settings: Settings) -> None:
    result = materialize_all(settings)
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks), [(c.check_name, c.metadata) for c in checks]
    metadata = {
        e.asset_key.to_user_string(): e.materialization.metadata for e in result.get_asset_materialization_events()
    }
    assert metadata["articles"]["new"].value == metadata["articles"]["dagster/row_count"].value == 5
    assert "Russia sends reinforcements" in metadata["articles"]["preview"].value
    assert metadata["events"]["total"].value > 40 and "| event_type |" in metadata["events"]["preview"].value
    assert (settings.warehouse_dir / "brief.html").is_file() and metadata["analyst_brief"]["rewritten"].value

    counts = published_rows(
        settings,
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles), (SELECT count(*) FROM rejects)",
    )[0]
    assert counts == (5, 5, 0)
    titles = [r[0] for r in published_rows(settings, "SELECT title FROM articles")]
    assert len(titles) == len(set(titles)) == 5
    assert set(titles) >= HEADLINES
    assert any(t.startswith("The Kremlin press service said Tuesday evening") for t in titles)
    dates = dict(published_rows(settings, "SELECT title, published_at FROM articles"))
    assert dates["Russia sends reinforcements to northeast Syria following deadly Turkish-Kurdish clashes"] == datetime(
        2020, 12, 29
    )
    assert sum(d is not None for d in dates.values()) == 1  # only seed 001 states its date
    for (text,) in published_rows(settings, "SELECT text FROM articles"):
        for furniture in ("World news", "2 min read", "Leave a comment", "Follow us on", "not a bot", "\nblock\n"):
            assert furniture not in text
    assert published_rows(settings, "SELECT count(*) FROM search('military police')")[0][0] >= 3
    assert published_rows(settings, "SELECT DISTINCT language FROM articles") == [("en",)]
    raw = published_rows(settings, "SELECT raw FROM documents WHERE uri LIKE '%001_%'")[0][0]
    assert raw == next(SEEDS.glob("001_*.txt")).read_bytes()  # raw bytes kept, byte for byte

    before = table_snapshot(settings)
    again = materialize_all(settings)
    assert again.success
    assert table_snapshot(settings) == before  # second run changes nothing

    # A sixth article: exactly one more article.
    (settings.seeds_dir / "nested").mkdir()
    (settings.seeds_dir / "nested" / "005_new.txt").write_text(
        "Turkey and Russia agree on new patrols\n\nTurkey and Russia agreed on Friday to run joint patrols along "
        "the M4 highway in Idlib, officials in Ankara said.\n",
        encoding="utf-8",
    )
    # …and an exact copy of a seed under another name: a document, not an article.
    shutil.copy(next(settings.seeds_dir.glob("003_*.txt")), settings.seeds_dir / "copy_of_003.txt")
    assert materialize_all(settings).success
    counts = published_rows(
        settings,
        "SELECT (SELECT count(*) FROM documents), (SELECT count(*) FROM articles), "
        "(SELECT count(*) FROM document_articles WHERE relation = 'same_text')",
    )[0]
    assert counts == (7, 6, 1)

    # Editing a file re-ingests that file only, as a new version of the same article.
    edited = settings.seeds_dir / "nested" / "005_new.txt"
    original = edited.read_text()
    edited.write_text(original + "\nThe patrols start next week.\n", encoding="utf-8")
    result = materialize_all(settings)
    docs = [e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey("documents")]
    assert docs[0].materialization.metadata["new"].value == 1
    assert "005_new.txt" in docs[0].materialization.metadata["preview"].value
    rows = published_rows(
        settings, "SELECT count(*), max(text) FROM articles WHERE title LIKE 'Turkey and Russia agree%'"
    )
    assert rows[0][0] == 1 and rows[0][1].endswith("The patrols start next week.")
    assert published_rows(settings, "SELECT count(*) FROM articles")[0][0] == 6

    # Undoing the edit brings back bytes read before: the article is that text again.
    edited.write_text(original, encoding="utf-8")
    assert materialize_all(settings).success
    rows = published_rows(
        settings, "SELECT count(*), max(text) FROM articles WHERE title LIKE 'Turkey and Russia agree%'"
    )
    assert rows[0][0] == 1 and not rows[0][1].endswith("The patrols start next week.")
    assert published_rows(settings, "SELECT count(*) FROM articles")[0][0] == 6


def _ticker(settings: Settings, instance: dg.DagsterInstance):
    resources = {"news": news_resource(settings)}

    def tick(cursor: str | None) -> dg.SensorResult | dg.SkipReason:
        with dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor) as context:
            return seed_folder_sensor(context)

    return tick


def _requested(result: dg.SensorResult | dg.SkipReason) -> list[tuple[str, str]]:
    requests = result.run_requests if isinstance(result, dg.SensorResult) else []
    return [
        (r.tags["dagster/asset_partition_range_start"], r.tags["dagster/asset_partition_range_end"]) for r in requests
    ]


def test_sensor_on_a_fresh_folder_requests_one_run(settings: Settings) -> None:
    with dg.instance_for_test() as instance:
        tick = _ticker(settings, instance)
        first = tick(None)
        ((start, end),) = _requested(first)
        assert start <= end
        assert isinstance(tick(first.cursor), dg.SkipReason)


def test_sensor_starts_from_what_make_run_read(analyst_settings: Settings, tmp_path: Path) -> None:
    """After `make run`, the first tick of the sensor requests nothing (a run that reads nothing would
    become every asset's latest materialization); new, changed and deleted files request their shard."""
    seeds = tmp_path / "seeds"
    shutil.copytree(analyst_settings.seeds_dir, seeds)  # sizes and mtimes kept, as the warehouse saw them
    (tmp_path / "warehouse").mkdir()
    shutil.copy(analyst_settings.warehouse_dir / "news.duckdb", tmp_path / "warehouse" / "news.duckdb")
    settings = Settings(seeds_dir=seeds, warehouse_dir=tmp_path / "warehouse")
    with dg.instance_for_test() as instance:
        tick = _ticker(settings, instance)
        first = tick(None)
        assert isinstance(first, dg.SensorResult) and not first.run_requests
        assert "already holds the 7 files" in first.skip_reason.skip_message
        assert json.loads(first.cursor)["files"] == 7
        older = base64.b64encode(zlib.compress(b'{"000.txt": "1:1"}')).decode()  # the cursor format before
        assert not _requested(tick(older))
        assert isinstance(tick(first.cursor), dg.SkipReason)

        (seeds / "new.txt").write_text("Headline\n\nA new body.")
        key = shard_key(shard_of("new.txt"))
        dropped = tick(first.cursor)
        assert _requested(dropped) == [(key, key)]
        assert json.loads(dropped.cursor)["runs_requested"] == 1

        original = next(seeds.glob("000_*.txt"))
        kept = tmp_path / original.name
        shutil.copy2(original, kept)
        original.unlink()  # a deletion runs its shard too (its article is withdrawn)
        deleted = tick(first.cursor)
        gone = shard_key(shard_of(original.name))
        assert _requested(deleted) == [(min(key, gone), max(key, gone))]

        shutil.copy2(kept, original)  # back as the warehouse holds it: nothing to read
        (seeds / "new.txt").unlink()
        assert not _requested(tick(deleted.cursor))
        # While a run is under way, the warehouse may be about to change: the cursor alone decides.
        create_run_for_test(instance, job_name="ingest", status=dg.DagsterRunStatus.STARTED)
        assert _requested(tick(deleted.cursor)) == [(min(key, gone), max(key, gone))]
