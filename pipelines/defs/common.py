"""Settings every asset shares: batches (partitions), the writers' pools, owners.

Batches: every asset is partitioned the same way, so one run carries a batch through the whole graph. The
per-batch assets (documents, articles, nlp_parses, entity_mentions, events) process the articles of the run's
batches; the global ones (near_duplicates, entities, event_corrections, stories, analyst_warehouse) process
everything pending, once every run in flight has written what they read (ordering.py).

Seed-folder batches are the 16 shards seeds-00..seeds-15 (a file's shard is a hash of its path; see
pipelines/core/sources/seed_folder.py). A run processes only what is new or changed in its shards, and
a single run can cover a range of shards (BackfillPolicy.single_run), so backfilling 10,000 files is one
run, not 10,000.

Feed batches follow: feeds-00..feeds-07, a source's shard being a hash of its id (see
pipelines/core/sources/registry.py). Seeds first, feeds last, so each kind is one contiguous range.
"""

from __future__ import annotations

import os

import dagster as dg

from pipelines.core.sources.registry import feed_shard_keys
from pipelines.core.sources.seed_folder import all_shard_keys

BATCHES = dg.StaticPartitionsDefinition(all_shard_keys() + feed_shard_keys())

# The embedded DuckDB file takes one writer at a time: every writing step is in the pool duckdb_writer, which
# dagster.yaml limits to one step. The lake (NEWS_WAREHOUSE_URL) takes many: per-batch steps write at once, in
# no pool, and only the global steps take turns, in the pool global_stages (limit 1, the cluster profile's
# dagster.yaml; their sessions are exclusive too, which holds across runs of different instances). WRITER_POOL
# is the pool whose steps run one at a time.
LAKE = bool((os.environ.get("NEWS_WAREHOUSE_URL") or "").strip())
WRITER_POOL = "global_stages" if LAKE else "duckdb_writer"

SINGLE_RUN = dg.BackfillPolicy.single_run()

OWNERS = ["team:news-pipeline"]

# What every asset that writes the warehouse shares: partitions, single-run backfills, owners, and its pool.
# Use as @dg.asset(**BATCH_ASSET, group_name=..., ...) for a per-batch asset, **GLOBAL_ASSET for a global one.
_WRITER = {"partitions_def": BATCHES, "backfill_policy": SINGLE_RUN, "owners": OWNERS}
BATCH_ASSET = {**_WRITER, "pool": None if LAKE else WRITER_POOL}
GLOBAL_ASSET = {**_WRITER, "pool": WRITER_POOL}


# A run with this tag polls sources whatever their schedule says: "all", or a source's name, URL or id
# (`python -m pipelines poll --now`; a run launched from the UI can carry it too).
POLL_NOW_TAG = "news/poll_now"


def range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags that make one run cover partitions first..last (the form single-run backfills use)."""
    return {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}
