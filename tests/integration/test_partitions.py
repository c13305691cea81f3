"""A run over some batches processes the articles of those batches, leaves other batches' rows alone, and
still does the work another batch's run made pending (pipelines/defs/ordering.py: adopted batches).

Batch A holds a report; batch B holds a syndicated copy of it and a report of its own. The copy is a skipped
near-duplicate while the report stands; when the report's file is deleted and a run over A alone withdraws it,
the copy (of B) becomes its group's canonical member and must be parsed, its entities found and its events
coded: by that run, since no run over B is in flight to do it.
"""

from __future__ import annotations

from pathlib import Path

import dagster as dg
import pytest

from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import shard_key, shard_of
from pipelines.core.storage.embedded import EmbeddedWarehouse
from tests.conftest import seed_text
from tests.integration.helpers import materialize_range, seed_name_in, syndicated_copy_of_001

pytestmark = pytest.mark.slow

PER_ARTICLE = ["documents", "articles", "nlp_parses", "entity_mentions", "events"]
# Rows each batch's articles own, with the time they were written: a run that touched them would change it.
OWN_ROWS = {
    "article_nlp": "SELECT a.batch_key, n.article_id, n.status, n.parsed_at FROM article_nlp AS n "
    "JOIN articles_base AS a USING (article_id) ORDER BY 2",
    "article_entities": "SELECT a.batch_key, e.article_id, e.processed_at FROM article_entities AS e "
    "JOIN articles_base AS a USING (article_id) ORDER BY 2",
    "coding": "SELECT a.batch_key, c.article_id, c.coded_at FROM article_event_coding AS c "
    "JOIN articles_base AS a USING (article_id) ORDER BY 2",
}
# What the final warehouse holds, compared with one run over the same files in a fresh warehouse.
RESULT = {
    "articles": "SELECT article_id FROM articles ORDER BY 1",
    "parses": "SELECT article_id, status FROM article_nlp ORDER BY 1",
    "groups": "SELECT article_id, canonical_article_id FROM article_dups ORDER BY 1",
    "mentions": "SELECT article_id, entity_key, start_char FROM entity_mentions_base ORDER BY ALL",
    "entities": "SELECT entity_id FROM entities ORDER BY 1",
    "events": "SELECT event_id FROM events ORDER BY 1",
    "stories": "SELECT list(article_id ORDER BY article_id) FROM article_stories GROUP BY story_id ORDER BY 1",
}


def _rows(settings: Settings, queries: dict[str, str]) -> dict[str, list[tuple]]:
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
        return {name: session.con.execute(sql).fetchall() for name, sql in queries.items()}


def _materialized(instance: dg.DagsterInstance) -> dict[str, set[str]]:
    return {a: set(instance.get_materialized_partitions(dg.AssetKey(a))) for a in PER_ARTICLE}


def test_a_run_over_one_batch_keeps_to_it_and_does_what_it_made_pending_elsewhere(tmp_path: Path) -> None:
    a_shard = shard_of("a.txt")
    b_shard = (a_shard + 7) % 16
    a, b = shard_key(a_shard), shard_key(b_shard)
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    report = seeds / seed_name_in(a_shard, "report")
    report.write_text(seed_text("001"), encoding="utf-8")
    (seeds / seed_name_in(b_shard, "copy")).write_text(syndicated_copy_of_001(), encoding="utf-8")
    (seeds / seed_name_in(b_shard, "other")).write_text(seed_text("003"), encoding="utf-8")
    settings = Settings(seeds, tmp_path / "warehouse")
    with dg.DagsterInstance.ephemeral() as instance:
        assert materialize_range(settings, [a], instance=instance).success
        # The UI's partition status: the run over A materialized A's partitions, and B's files are not read.
        assert _materialized(instance) == {asset: {a} for asset in PER_ARTICLE}
        after_a = _rows(settings, OWN_ROWS)
        assert {row[0] for rows in after_a.values() for row in rows} == {a}

        assert materialize_range(settings, [b], instance=instance).success
        assert _materialized(instance) == {asset: {a, b} for asset in PER_ARTICLE}
        after_b = _rows(settings, OWN_ROWS)
        for name, rows in after_a.items():  # the run over B left A's rows as they were
            assert [r for r in after_b[name] if r[0] == a] == rows, name
        statuses = {status for _, _, status, _ in after_b["article_nlp"]}
        assert statuses == {"parsed", "skipped"}  # the copy is skipped while the report stands

        report.unlink()
        assert materialize_range(settings, [a], instance=instance).success
        final = _rows(settings, RESULT)
    assert len(final["articles"]) == 2 and all(status == "parsed" for _, status in final["parses"])

    fresh = Settings(seeds, tmp_path / "fresh")
    with dg.DagsterInstance.ephemeral() as instance:
        assert materialize_range(settings=fresh, keys=sorted([a, b]), instance=instance).success
    assert _rows(fresh, RESULT) == final
