"""Settings every asset shares: batches (partitions), the writers' pool, owners.

Batches: every asset is partitioned the same way, so one run carries a batch through the whole graph.

Seed-folder batches are the 16 shards seeds-00..seeds-15 (a file's shard is a hash of its path; see
pipelines/core/sources/seed_folder.py). A run processes only what is new or changed in its shards, and
a single run can cover a range of shards (BackfillPolicy.single_run), so backfilling 10,000 files is one
run, not 10,000.

Feed batches follow: feeds-00..feeds-07, a source's shard being a hash of its id (see
pipelines/core/sources/registry.py). Seeds first, feeds last, so each kind is one contiguous range.
"""

from __future__ import annotations

import dagster as dg

from pipelines.core.sources.registry import feed_shard_keys
from pipelines.core.sources.seed_folder import all_shard_keys

BATCHES = dg.StaticPartitionsDefinition(all_shard_keys() + feed_shard_keys())

# Every asset that writes the DuckDB working file is in this pool; dagster.yaml limits it to one step.
WRITER_POOL = "duckdb_writer"

SINGLE_RUN = dg.BackfillPolicy.single_run()

OWNERS = ["team:news-pipeline"]

# What every asset that writes the warehouse for a batch shares: partitions, single-run backfills, the
# writers' pool, owners. Use as @dg.asset(**WRITER_ASSET, group_name=..., ...).
WRITER_ASSET = {"partitions_def": BATCHES, "backfill_policy": SINGLE_RUN, "pool": WRITER_POOL, "owners": OWNERS}


# A run with this tag polls sources whatever their schedule says: "all", or a source's name, URL or id
# (`python -m pipelines poll --now`; a run launched from the UI can carry it too).
POLL_NOW_TAG = "news/poll_now"


def range_tags(first: str, last: str) -> dict[str, str]:
    """Run tags that make one run cover partitions first..last (the form single-run backfills use)."""
    return {"dagster/asset_partition_range_start": first, "dagster/asset_partition_range_end": last}
