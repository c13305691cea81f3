"""Jobs. `ingest` carries batches through every asset; sensors, schedules, `make run` and backfills use it."""

from __future__ import annotations

import dagster as dg

ingest_job = dg.define_asset_job(
    name="ingest",
    selection=dg.AssetSelection.all(),
    description="Ingest a batch (a range of partitions) end to end: documents → articles → … → published warehouse.",
)
