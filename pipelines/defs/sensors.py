"""The seed-folder sensor: new or changed files → one run over the shards they belong to."""

import dagster as dg

from pipelines.core.sources.seed_folder import SeedFolderCursor
from pipelines.defs.common import range_tags
from pipelines.defs.jobs import ingest_job
from pipelines.defs.resources import NewsSettings
from pipelines.defs.run_guard import reclaim_dead_runs


@dg.sensor(
    name="seed_folder_sensor",
    job=ingest_job,
    minimum_interval_seconds=5,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches NEWS_SEEDS_DIR (default seeds/). Files that are new or whose size/mtime changed "
    "start one run covering their shards; inside the run only those files are read.",
)
def seed_folder_sensor(context: dg.SensorEvaluationContext, news: NewsSettings) -> dg.SensorResult | dg.SkipReason:
    # The daemon ticks this sensor every few seconds while `make ui` runs: the place to notice runs whose
    # process died (they would hold the writer pool forever; see run_guard.py).
    for message in reclaim_dead_runs(context.instance):
        context.log.warning(message)
    root = news.settings().seeds_dir
    if not root.is_dir():
        return dg.SkipReason(f"seed folder {root} does not exist (set NEWS_SEEDS_DIR or create it)")
    cursor = SeedFolderCursor.decode(context.cursor)
    change = cursor.scan(root)
    if not change.shard_keys:
        return dg.SkipReason(f"no new or changed files among {change.files_seen} in {root}")
    first, last = change.shard_keys[0], change.shard_keys[-1]
    request = dg.RunRequest(run_key=change.run_key, tags=range_tags(first, last))
    context.log.info(f"{len(change.changed)} new/changed file(s) in shard(s) {', '.join(change.shard_keys)}")
    return dg.SensorResult(run_requests=[request], cursor=change.cursor.encode())
