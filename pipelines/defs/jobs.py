"""Jobs. `ingest` carries batches through every asset; sensors, schedules, `make run` and backfills use it."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.partitions import BATCHES

ingest_job = dg.define_asset_job(
    name="ingest",
    selection=dg.AssetSelection.all(),
    partitions_def=BATCHES,
    description="Ingest a batch (a range of partitions) end to end: documents → articles → … → published warehouse.",
)
