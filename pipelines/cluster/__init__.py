"""The cluster profile: PostgreSQL, S3-compatible object storage, a Celery queue with workers, and Dagster's
daemon and UI on a shared instance. `make cluster-up` / `make cluster-down`; see pipelines/cluster/README.md."""
