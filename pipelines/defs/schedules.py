"""The feed-poll schedule: every tick (NEWS_FEED_POLL_CRON, default every 30 minutes) one run over the
feed batches feeds-00..feeds-07; inside the run only the sources that are due are polled."""

import dagster as dg

from pipelines.core.settings import feed_poll_cron
from pipelines.core.sources.registry import feed_shard_keys
from pipelines.defs.common import range_tags
from pipelines.defs.jobs import ingest_job
from pipelines.defs.resources import NewsSettings


@dg.schedule(
    name="feed_poll_schedule",
    cron_schedule=feed_poll_cron(),
    job=ingest_job,
    default_status=dg.DefaultScheduleStatus.RUNNING,
    description="Polls the feeds and pages of the sources file (NEWS_SOURCES_FILE, default sources.yaml) that "
    "are due (their poll interval passed; failing ones back off). Skips when there is no sources file.",
)
def feed_poll_schedule(context: dg.ScheduleEvaluationContext, news: NewsSettings) -> dg.RunRequest | dg.SkipReason:
    settings = news.settings()
    if not settings.has_sources:
        return dg.SkipReason(f"no sources file at {settings.sources_file} (set NEWS_SOURCES_FILE to poll feeds)")
    keys = feed_shard_keys()
    return dg.RunRequest(tags=range_tags(keys[0], keys[-1]) | {"launched_by": "feed_poll_schedule"})
