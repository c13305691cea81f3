"""Two batches whose runs overlap give the same rows whichever finishes its per-batch work first.

Two shards hold copies of each other's reports: an exact copy (same text, another file) and a near-duplicate
(a few words changed). Their documents arrive together (one run, as `make cluster-run` ingests), then two runs,
one per shard, process them at the same time; one shard's cleaning is held back so the other's run reaches
near-duplicate grouping first. Grouping then waits for it (pipelines/defs/ordering.py): without that wait the
first batch to arrive there founds the near-duplicate group and the group's id follows whichever that was.
"""

from __future__ import annotations

import threading
from pathlib import Path

import dagster as dg
import pytest

from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import shard_key, shard_of
from pipelines.core.stages import clean_documents
from pipelines.core.storage.embedded import EmbeddedWarehouse
from pipelines.definitions import ALL_ASSETS, build_resources
from pipelines.defs import ingest
from pipelines.defs.common import range_tags
from tests.conftest import seed_text
from tests.integration.helpers import news_resource, seed_name_in

pytestmark = pytest.mark.slow

_NO_COMPUTE_LOGS = {
    "compute_logs": {"module": "dagster._core.storage.noop_compute_log_manager", "class": "NoOpComputeLogManager"}
}
ROWS = {
    "articles": "SELECT article_id, document_id FROM articles_base ORDER BY 1",
    "documents": "SELECT d.uri, x.article_id, x.relation FROM document_articles x JOIN documents d USING (document_id) "
    "ORDER BY 1",
    "groups": "SELECT article_id, dup_group_id, canonical_article_id, dup_method FROM article_dups ORDER BY 1",
    "entities": "SELECT entity_id FROM entities ORDER BY 1",
    "stories": "SELECT article_id, story_id FROM article_stories ORDER BY 1",
    "events": "SELECT event_id FROM events ORDER BY 1",
}


def _write_corpus(seeds: Path) -> tuple[str, str]:
    """Files in two shards, each holding a copy of a report of the other; returns the two shard keys."""
    first, second = shard_of("a.txt"), (shard_of("a.txt") + 5) % 16
    near = seed_text("002").replace("relations with Turkey", "ties with Ankara").replace("pushed ahead", "pressed on")
    files = {
        seed_name_in(first, "report"): seed_text("002"),
        seed_name_in(first, "wire"): seed_text("003"),
        seed_name_in(second, "repost"): near,
        seed_name_in(second, "copy"): seed_text("003"),
        seed_name_in(second, "other"): seed_text("001"),
    }
    seeds.mkdir(parents=True)
    for name, text in files.items():
        (seeds / name).write_text(text, encoding="utf-8")
    return shard_key(first), shard_key(second)


def _run_both(settings: Settings, keys: tuple[str, str], instance: dg.DagsterInstance) -> list[str]:
    """Documents of both shards in one run, then a run per shard at the same time; returns the steps that
    were retried to wait (batch:step)."""
    resources = build_resources(news_resource(settings))
    first, last = sorted(keys)
    arrived = dg.materialize(
        ALL_ASSETS, selection=["documents"], resources=resources, instance=instance, tags=range_tags(first, last)
    )
    assert arrived.success
    # Everything after the documents but publishing (which reads, and takes seconds to render the brief).
    rest = dg.AssetSelection.all() - dg.AssetSelection.assets("documents", "analyst_warehouse", "analyst_brief")
    results: dict[str, dg.ExecuteInProcessResult] = {}

    def run(key: str) -> None:
        results[key] = dg.materialize(
            ALL_ASSETS, selection=rest, resources=resources, instance=instance, partition_key=key
        )

    threads = [threading.Thread(target=run, args=(key,)) for key in keys]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert all(results[key].success for key in keys)
    retried = []
    for key in keys:
        for event in results[key].all_events:
            if event.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY:
                retried.append(f"{key}:{event.step_key}")
    return retried


@pytest.fixture
def held_back_cleaning(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Batches whose first cleaning attempt gives way for a few seconds (their run goes on with a retry)."""
    held: list[str] = []
    tried: set[str] = set()

    def clean(session, batch_keys, run_id, *args, **kwargs):
        key = next((k for k in batch_keys if k in held), None)
        if key is not None and key not in tried:
            tried.add(key)
            raise dg.RetryRequested(max_retries=1, seconds_to_wait=2)
        return clean_documents.clean_pending_documents(session, batch_keys, run_id, *args, **kwargs)

    monkeypatch.setattr(ingest, "clean_pending_documents", clean)
    return held


def test_batches_finishing_in_either_order_give_the_same_rows(tmp_path: Path, held_back_cleaning: list[str]) -> None:
    keys = _write_corpus(tmp_path / "seeds")
    outcomes, waited = [], []
    for held_back in keys:
        held_back_cleaning[:] = [held_back]
        settings = Settings(tmp_path / "seeds", tmp_path / f"warehouse-{held_back}")
        home = tmp_path / f"dagster-{held_back}"
        home.mkdir()
        # Two in-process runs in threads redirect the same stdout: Dagster's default compute-log capture
        # would leave its `tail -F` helpers running after the test; step logs are not what this test reads.
        with dg.DagsterInstance.local_temp(str(home), overrides=_NO_COMPUTE_LOGS) as instance:
            retried = _run_both(settings, keys, instance)
        waited.append(f"{next(k for k in keys if k != held_back)}:near_duplicates" in retried)
        with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
            outcomes.append({name: session.con.execute(sql).fetchall() for name, sql in ROWS.items()})
    first, second = outcomes
    for name in ROWS:
        assert first[name] == second[name], name
    # Each time, the batch that cleaned first waited for the other before grouping near-duplicates.
    assert waited == [True, True]
    # The corpus exercises what order could change: one exact copy folded into its original, one near-duplicate.
    assert sum(relation == "same_text" for _, _, relation in first["documents"]) == 1
    assert sum(method != "canonical" for *_, method in first["groups"]) == 1
