"""Stage runners: read what a stage needs from the warehouse, call the pure core, write the result in one
transaction, and say what happened (a StageReport). Dagster assets are thin wrappers around these."""
