"""Asset: articles → near-duplicate groups."""

from collections.abc import Iterator

import dagster as dg

from pipelines.core.stages.duplicate_corrections import apply_duplicate_splits
from pipelines.core.stages.near_duplicates import CODE_VERSION, group_near_duplicates
from pipelines.defs.checks import CountCheck
from pipelines.defs.common import GLOBAL_ASSET
from pipelines.defs.corrections import DUPLICATE_CHECK, CorrectionsFile, duplicate_check_result
from pipelines.defs.ingest import articles
from pipelines.defs.metadata import report_metadata, table_total
from pipelines.defs.ordering import wait_for_batches_in_flight
from pipelines.defs.resources import NewsSettings

ONE_GROUP = CountCheck(
    "near_duplicates",
    "one_group_per_article",
    "check_near_duplicates",
    "Every article belongs to exactly one near-duplicate group, and every group to its members.",
    per_batch=True,
    listed=True,
)


@dg.asset(
    **GLOBAL_ASSET,
    group_name="dedupe",
    # The threshold (NEWS_DEDUPE_THRESHOLD) is part of the version stored in the warehouse; a change of it
    # regroups everything on the next run whatever Dagster believes about staleness.
    code_version=CODE_VERSION,
    kinds={"python", "duckdb"},
    deps=[articles],
    check_specs=[ONE_GROUP.spec(), DUPLICATE_CHECK],
)
def near_duplicates(
    context: dg.AssetExecutionContext, news: NewsSettings, corrections: CorrectionsFile
) -> Iterator[dg.MaterializeResult]:
    """Near-duplicate groups: copies of one report (a re-headlined wire story, a trimmed or re-dressed
    repost) share a `dup_group_id`; each group has one canonical member, the earliest published. New and
    edited articles are compared with every article ever loaded through the LSH band index stored in the
    warehouse (`lsh_bands`), and verified by MinHash similarity before they join a group. Then the
    corrections file's near-duplicate splits put the articles an analyst says are no copies in groups of
    their own."""
    fixes = corrections.load()
    wait_for_batches_in_flight(context, "near_duplicates")
    with news.warehouse().session(exclusive=True) as session:
        report = group_near_duplicates(
            session, context.partition_keys, context.run.run_id, news.settings().dedupe_threshold
        )
        apply_duplicate_splits(session, report, fixes.duplicate_splits)
        checks = [ONE_GROUP.result(session, context.partition_keys), duplicate_check_result(session)]
        metadata = report_metadata(report) | table_total(session, "dup_groups")
    yield dg.MaterializeResult(metadata=metadata, check_results=checks)


DEDUPE_ASSETS = [near_duplicates]
