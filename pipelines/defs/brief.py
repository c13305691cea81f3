"""The brief asset: after each publish, warehouse/brief.html is rendered from the published warehouse."""

from __future__ import annotations

import dagster as dg

from pipelines.defs.common import BATCHES, OWNERS, SINGLE_RUN
from pipelines.defs.metadata import markdown_table
from pipelines.defs.resources import NewsSettings


@dg.asset(
    # Partitioned like every asset so that it runs in the same run as the batch it follows; it reads only
    # the published file, so it is not in the writers' pool and never waits for the warehouse lock.
    partitions_def=BATCHES,
    backfill_policy=SINGLE_RUN,
    owners=OWNERS,
    group_name="publish",
    kinds={"html", "altair"},
    deps=[dg.AssetKey("analyst_warehouse")],
)
def analyst_brief(news: NewsSettings) -> dg.MaterializeResult:
    """`warehouse/brief.html`: a self-contained page (charts need no network) with events per day by
    type, top actors and recipients, top entities, the largest recent stories with their sources, and a
    map of geocoded events. Rendered from the published `news.duckdb`, next to which it is written
    atomically; it is not part of the warehouse. Kept as is when the published data did not change."""
    # Imported here, not when the code location loads: Altair and vl-convert take ~0.4 s to import (over
    # 1 s on a busy machine), which every run's process would pay before its first step, and this step
    # runs after the warehouse is published, when a dropped file is already queryable.
    from pipelines.core.brief.page import outlets
    from pipelines.core.stages.brief import write_brief

    result = write_brief(news.warehouse())
    totals = result.data.totals
    stories = [{"story": s["title"], "articles": s["articles"], "outlets": outlets(s)} for s in result.data.stories]
    return dg.MaterializeResult(
        metadata={
            "path": dg.MetadataValue.path(str(result.path)),
            "open": dg.MetadataValue.url(result.path.resolve().as_uri()),
            "rewritten": result.written,
            "size_bytes": result.size_bytes,
            "seconds": dg.MetadataValue.float(round(result.seconds, 3)),
            "data_version": int(totals["data_version"]),
            "coded_events": int(totals["coded_events"]),
            "events": int(totals["events"]),
            "stories": int(totals["stories"]),
            "mapped_places": len(result.data.places),
            "largest_stories": dg.MetadataValue.md(markdown_table(stories)),
        }
    )


BRIEF_ASSETS = [analyst_brief]
