"""Plain-Python stages of the pipeline. Nothing here imports Dagster, so every stage is unit-tested directly."""
