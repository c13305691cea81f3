"""The seed-folder sensor: new, changed or deleted files → one run over the shards they belong to."""

import dagster as dg

from pipelines.core.sources.seed_folder import SeedFolderCursor, all_shard_keys, change_summary, folder_states
from pipelines.core.stages.seed_documents import ingested_states
from pipelines.defs.common import range_tags
from pipelines.defs.jobs import ingest_job
from pipelines.defs.resources import NewsSettings
from pipelines.defs.run_guard import IN_FLIGHT, reclaim_dead_runs


@dg.sensor(
    name="seed_folder_sensor",
    job=ingest_job,
    minimum_interval_seconds=5,
    default_status=dg.DefaultSensorStatus.RUNNING,
    description="Watches NEWS_SEEDS_DIR (default seeds/). Shards with new, changed or deleted files that the "
    "warehouse does not hold yet start one run covering them; inside the run only those files are read. "
    "The cursor says, per shard, how many files the sensor saw and a digest of their paths, sizes and mtimes.",
)
def seed_folder_sensor(context: dg.SensorEvaluationContext, news: NewsSettings) -> dg.SensorResult | dg.SkipReason:
    # The daemon ticks this sensor every few seconds while `make ui` runs: the place to notice runs whose
    # process died (they would hold the writer pool forever; see run_guard.py).
    for message in reclaim_dead_runs(context.instance):
        context.log.warning(message)
    root = news.settings().seeds_dir
    if not root.is_dir():
        return dg.SkipReason(f"seed folder {root} does not exist (set NEWS_SEEDS_DIR or create it)")
    cursor = SeedFolderCursor.decode(context.cursor) or SeedFolderCursor({})
    now = folder_states(root)
    # A first tick (no cursor) has seen nothing: a shard whose files were all deleted since a run read them
    # (after `make run`, before the first `make ui`) has no files now, so only the warehouse can tell. Every
    # shard is a candidate then; the warehouse's record below keeps those that changed.
    changed = cursor.changed_shards(now) if cursor.shards else all_shard_keys()
    if not changed:
        return dg.SkipReason(f"no new, changed or deleted files among the {cursor.files} in {root}")
    # Shards the warehouse already holds as they are now need no run: after `make run`, the first tick
    # would otherwise request a run that reads nothing and becomes every asset's latest materialization.
    # The published warehouse says what runs have read only while none is under way (one may be reading
    # these shards now).
    before = cursor.shards
    if not context.instance.get_run_records(dg.RunsFilter(statuses=list(IN_FLIGHT)), limit=1):
        before = ingested_states(news.warehouse(), changed)
        changed = [key for key in changed if before.get(key) != now.get(key)]
    if not changed:
        seen = SeedFolderCursor(now, cursor.runs_requested)
        return dg.SensorResult(
            skip_reason=f"the warehouse already holds the {seen.files} files of {root}", cursor=seen.encode()
        )
    request = dg.RunRequest(run_key=cursor.run_key(changed, now), tags=range_tags(changed[0], changed[-1]))
    context.log.info(f"new, changed or deleted files in {change_summary(changed, before, now)}")
    return dg.SensorResult(run_requests=[request], cursor=SeedFolderCursor(now, cursor.runs_requested + 1).encode())
