"""News-ingest pipeline: pure core (`pipelines.core`) wired into Dagster by `pipelines.defs`."""
