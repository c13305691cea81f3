"""The whole asset graph on the seeds, through Dagster, into a temporary warehouse."""

from __future__ import annotations

import shutil
from datetime import datetime

import dagster as dg

from pipelines.core.settings import Settings
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


def test_sensor_requests_one_run_for_changed_shards(settings: Settings) -> None:
    from pipelines.core.sources.seed_folder import shard_key, shard_of

    resources = {"news": news_resource(settings)}
    with dg.instance_for_test() as instance:

        def tick(cursor: str | None) -> dg.SensorResult | dg.SkipReason:
            with dg.build_sensor_context(instance=instance, resources=resources, cursor=cursor) as context:
                return seed_folder_sensor(context)

        first = tick(None)
        assert isinstance(first, dg.SensorResult) and len(first.run_requests) == 1
        request = first.run_requests[0]
        assert request.tags["dagster/asset_partition_range_start"] <= request.tags["dagster/asset_partition_range_end"]
        assert isinstance(tick(first.cursor), dg.SkipReason)
        (settings.seeds_dir / "new.txt").write_text("Headline\n\nA new body.")
        third = tick(first.cursor)
        key = shard_key(shard_of("new.txt"))
        assert third.run_requests[0].tags["dagster/asset_partition_range_start"] == key
        assert third.run_requests[0].tags["dagster/asset_partition_range_end"] == key
        (settings.seeds_dir / "new.txt").unlink()  # a deletion runs its shard too (its article is withdrawn)
        fourth = tick(third.cursor)
        assert fourth.run_requests[0].tags["dagster/asset_partition_range_start"] == key
