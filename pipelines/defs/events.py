"""Assets: stories (articles about the same happening) and events (coded actions), from the stored parse."""

from collections.abc import Iterator

import dagster as dg

from pipelines.core.events.coder import CODER_VERSION
from pipelines.core.events.ontology import event_types
from pipelines.core.nlp.model import load_pipeline
from pipelines.core.stages.cluster_stories import cluster_pending_stories
from pipelines.core.stages.code_events import code_pending_events
from pipelines.core.stories.clustering import CLUSTERER_VERSION
from pipelines.defs.checks import violations_check
from pipelines.defs.common import BATCHES, OWNERS, SINGLE_RUN, WRITER_POOL
from pipelines.defs.metadata import report_metadata
from pipelines.defs.nlp import nlp_parses
from pipelines.defs.resources import NewsSettings

EVENT_CHECKS = {
    "events_current": "Every parsed article of the run's batches is coded from its current parse by this coder.",
    "events_well_formed": "Every event has a PLOVER type, the matching quad class, and an actor.",
}
STORY_CHECKS = {
    "stories_complete": "Every parsed article of the run's batches belongs to a story.",
    "story_counts_consistent": "Each story's article_count equals its members; every member's story exists.",
}


def _stage_asset(name: str, code_version: str, checks: dict[str, str]):
    """The asset decorator both stages share: batches, one writer, built from the stored parse."""
    return dg.asset(
        name=name,
        partitions_def=BATCHES,
        backfill_policy=SINGLE_RUN,
        pool=WRITER_POOL,
        group_name="events",
        kinds={"python", "duckdb"},
        owners=OWNERS,
        deps=[nlp_parses],
        code_version=code_version,
        check_specs=[dg.AssetCheckSpec(c, asset=name, blocking=True, description=t) for c, t in checks.items()],
    )


@_stage_asset("events", CODER_VERSION, EVENT_CHECKS)
def events(context: dg.AssetExecutionContext, news: NewsSettings) -> Iterator[dg.MaterializeResult]:
    """PLOVER events (who did what to whom, where and when) coded from each parsed article's stored parse
    by the dictionary coder (lexicons in pipelines/core/rules/events/): `events` and `event_actors`, with
    the sentence and character span that shows each. A new coder version (code or rules) re-codes only
    the articles it has not coded yet."""
    load_pipeline()
    keys = context.partition_keys
    with news.warehouse().session() as session:
        report = code_pending_events(session, keys, context.run.run_id)
        types = [f"{name}:{t.quad}" for name, t in event_types().items()]
        checks = [
            violations_check(
                session, "events", "events_current", "check_events_current", EVENT_CHECKS["events_current"],
                batch_keys=keys, version=CODER_VERSION,
            ),
            violations_check(
                session, "events", "events_well_formed", "check_event_types", EVENT_CHECKS["events_well_formed"],
                types=types,
            ),
        ]  # fmt: skip
    yield dg.MaterializeResult(metadata=report_metadata(report), check_results=checks)


@_stage_asset("stories", CLUSTERER_VERSION, STORY_CHECKS)
def stories(context: dg.AssetExecutionContext, news: NewsSettings) -> Iterator[dg.MaterializeResult]:
    """Stories: each new parsed article joins the best matching story active in its time window (TF-IDF
    of title and lead, shared entities) or opens a new one; history is never re-clustered. `stories`,
    `article_stories` (and `articles.story_id`), `story_articles` for a story's timeline."""
    load_pipeline()
    keys = context.partition_keys
    with news.warehouse().session() as session:
        report = cluster_pending_stories(session, keys, context.run.run_id)
        checks = [
            violations_check(
                session, "stories", "stories_complete", "check_stories_complete", STORY_CHECKS["stories_complete"],
                batch_keys=keys,
            ),
            violations_check(
                session, "stories", "story_counts_consistent", "check_story_counts",
                STORY_CHECKS["story_counts_consistent"],
            ),
        ]  # fmt: skip
    yield dg.MaterializeResult(metadata=report_metadata(report), check_results=checks)


EVENT_ASSETS = [stories, events]
