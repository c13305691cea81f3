"""Assets: stories (articles about the same happening) and events (coded actions), from the stored parse."""

from collections.abc import Iterator

import dagster as dg

from pipelines.core import workers
from pipelines.core.events.coder import CODER_VERSION
from pipelines.core.events.ontology import event_types
from pipelines.core.stages.cluster_stories import apply_story_corrections, cluster_pending_stories
from pipelines.core.stages.code_events import code_pending_events
from pipelines.core.stories.clustering import CLUSTERER_VERSION
from pipelines.defs.checks import CountCheck
from pipelines.defs.common import BATCH_ASSET, GLOBAL_ASSET
from pipelines.defs.corrections import STORY_CHECK, CorrectionsFile, event_corrections, story_check_result
from pipelines.defs.dedupe import near_duplicates
from pipelines.defs.entities import entities
from pipelines.defs.metadata import report_metadata, table_total
from pipelines.defs.nlp import nlp_parses
from pipelines.defs.ordering import batches_to_adopt, wait_for_batches_in_flight
from pipelines.defs.resources import NewsSettings

EVENTS_CURRENT = CountCheck(
    "events",
    "events_current",
    "check_events_current",
    "Every parsed article of the run's batches is coded from its current parse by this coder.",
    per_batch=True,
)
EVENTS_WELL_FORMED = CountCheck(
    "events",
    "events_well_formed",
    "check_event_types",
    "Every event of the run's batches has a PLOVER type, the matching quad class, and actor rows that agree "
    "with its actor_source (none: no actor row).",
    per_batch=True,
)
STORIES_COMPLETE = CountCheck(
    "stories",
    "stories_complete",
    "check_stories_complete",
    "Every parsed canonical article of the run's batches belongs to a story.",
    per_batch=True,
)
STORY_COUNTS = CountCheck(
    "stories",
    "story_counts_consistent",
    "check_story_counts",
    "Every story the run's batches joined counts its members right and exists.",
    per_batch=True,
)
# Both read the stored parse and the linked entities (entity ids, countries, coordinates).
_EVENTS_ASSET = {"group_name": "stories_events", "kinds": {"python", "duckdb"}}


@dg.asset(
    **BATCH_ASSET,
    **_EVENTS_ASSET,
    deps=[nlp_parses, entities],
    code_version=CODER_VERSION,
    check_specs=[EVENTS_CURRENT.spec(), EVENTS_WELL_FORMED.spec()],
)
def events(context: dg.AssetExecutionContext, news: NewsSettings) -> Iterator[dg.MaterializeResult]:
    """PLOVER events (who did what to whom, where and when) coded from each parsed article's stored parse
    by the dictionary coder (lexicons in pipelines/core/rules/events/): `events` and `event_actors`, with
    the sentence and character span that shows each and the linked entities of actors and places. A new
    coder version (code or rules) re-codes only the articles it has not coded yet."""
    keys = context.partition_keys
    with news.warehouse().session() as session:
        report = code_pending_events(session, keys, context.run.run_id, adopted=batches_to_adopt(context, "events"))
        types = [f"{name}:{t.quad}" for name, t in event_types().items()]
        checks = [
            EVENTS_CURRENT.result(session, keys, version=CODER_VERSION),
            EVENTS_WELL_FORMED.result(session, keys, types=types),
        ]
        metadata = report_metadata(report) | table_total(session, "events")
    # The graph's last user of the worker pool: stories, publish and the brief work in this process, and
    # the workers' models (~1.1 GB) would otherwise stay resident to the end of the run, on top of the
    # publish's own peak (the 20k backfill went over 2 GiB).
    workers.shutdown()
    yield dg.MaterializeResult(metadata=metadata, check_results=checks)


@dg.asset(
    **GLOBAL_ASSET,
    **_EVENTS_ASSET,
    deps=[nlp_parses, near_duplicates, entities, events, event_corrections],
    code_version=CLUSTERER_VERSION,
    check_specs=[STORIES_COMPLETE.spec(), STORY_COUNTS.spec(), STORY_CHECK],
)
def stories(
    context: dg.AssetExecutionContext, news: NewsSettings, corrections: CorrectionsFile
) -> Iterator[dg.MaterializeResult]:
    """Stories: each new parsed canonical article joins the best matching story active in its time window
    (TF-IDF of title and lead, shared entities and events) or opens a new one; history is never re-clustered.
    `stories`, `article_stories`, `articles.story_id` (copies share their canonical member's story);
    analysts read `story_articles`, `story_sources` and `story_timeline`. Then the corrections file's story
    merges and splits are applied (article_stories.corrected_by says which entry moved an article)."""
    wait_for_batches_in_flight(context, "stories")
    keys = context.partition_keys
    fixes = corrections.load()
    with news.warehouse().session(exclusive=True) as session:
        report = cluster_pending_stories(session, keys, context.run.run_id)
        apply_story_corrections(session, report, [*fixes.story_merges, *fixes.story_splits])
        checks = [
            STORIES_COMPLETE.result(session, keys),
            STORY_COUNTS.result(session, keys),
            story_check_result(session),
        ]
        metadata = report_metadata(report) | table_total(session, "stories")
    yield dg.MaterializeResult(metadata=metadata, check_results=checks)


EVENT_ASSETS = [stories, events, event_corrections]
