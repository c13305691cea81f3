"""The near_duplicates asset in the real graph: a syndicated copy of a seed joins its group, the two
Ain Issa reports stay apart, a re-run changes nothing, and an analyst's split makes the copy a report of
its own that the later assets parse, code and cluster."""

from __future__ import annotations

import dagster as dg

from pipelines.core.settings import DEFAULT_DEDUPE_THRESHOLD, Settings
from tests.integration.helpers import materialize_all, published_rows, syndicated_copy_of_001


def _rows_written(result: dg.ExecuteInProcessResult) -> int:
    event = next(e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey("near_duplicates"))
    return event.materialization.metadata["rows_in"].value


def test_syndicated_copy_joins_its_group(settings: Settings, monkeypatch) -> None:
    (settings.seeds_dir / "republished_001.txt").write_text(syndicated_copy_of_001(), encoding="utf-8")
    result = materialize_all(settings)
    assert result.success
    checks = {c.check_name: c.passed for c in result.get_asset_check_evaluations()}
    assert checks["one_group_per_article"]
    assert _rows_written(result) == 6

    def group_of(title_prefix: str) -> tuple:
        return published_rows(
            settings,
            "SELECT dup_group_id, dup_method, similarity_to_canonical FROM articles "
            f"WHERE title LIKE '{title_prefix}%'",
        )[0]

    original = group_of("Russia sends reinforcements")
    copy = group_of("Moscow moves troops")
    ain_isa = group_of("Russia announced the sending")
    assert copy[0] == original[0] and original[1] == "canonical"  # 001 is dated, the copy is not
    assert copy[1] == "near" and DEFAULT_DEDUPE_THRESHOLD <= copy[2] < 1.0
    assert ain_isa[0] != original[0]  # two reports of the same happening are two groups
    assert published_rows(settings, "SELECT count(*), sum(dup_group_size) FROM canonical_articles")[0] == (5, 6)

    before = published_rows(settings, "SELECT * FROM article_dups ORDER BY article_id")
    again = materialize_all(settings)
    assert again.success and _rows_written(again) == 0
    assert published_rows(settings, "SELECT * FROM article_dups ORDER BY article_id") == before

    corrections = settings.warehouse_dir.parent / "corrections.yaml"
    corrections.write_text("duplicates:\n  split:\n    - [seeds/republished_001.txt]\n", encoding="utf-8")
    monkeypatch.setenv("NEWS_CORRECTIONS", str(corrections))
    split = materialize_all(settings)
    checks = {c.check_name: c.passed for c in split.get_asset_check_evaluations()}
    assert split.success and checks["one_group_per_article"] and checks["duplicates_corrections_in_use"]
    copy = group_of("Moscow moves troops")
    assert copy[0] != original[0] and copy[1] == "canonical"
    coded = published_rows(
        settings,
        "SELECT a.dup_corrected_by IS NOT NULL, a.story_id IS NOT NULL, count(e.event_id) FROM articles AS a "
        "LEFT JOIN events AS e USING (article_id) WHERE a.title LIKE 'Moscow moves troops%' GROUP BY ALL",
    )
    assert coded[0][:2] == (True, True) and coded[0][2] > 0
    assert published_rows(settings, "SELECT count(*), sum(dup_group_size) FROM canonical_articles")[0] == (6, 6)
