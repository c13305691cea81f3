"""The publish asset: built last, depending on every stage, so it runs once all of a batch is written."""

from collections.abc import Sequence

import dagster as dg

from pipelines.core.stages.publish import publish_warehouse
from pipelines.defs.common import GLOBAL_ASSET
from pipelines.defs.metadata import markdown_table, report_metadata
from pipelines.defs.resources import NewsSettings


def build_publish_asset(upstream: Sequence[dg.AssetsDefinition]) -> dg.AssetsDefinition:
    """`analyst_warehouse` depending on `upstream` (every asset that writes the warehouse)."""

    @dg.asset(
        name="analyst_warehouse",
        **GLOBAL_ASSET,
        group_name="publish",
        kinds={"duckdb"},
        deps=list(upstream),
    )
    def analyst_warehouse(context: dg.AssetExecutionContext, news: NewsSettings) -> dg.MaterializeResult:
        """`warehouse/news.duckdb`, the analysts' read-only copy: the full-text index (`search(query)`) is
        brought up to date with new and edited articles, then a standby copy replays the run's write log
        and is renamed over the old file, so anyone holding it open keeps a consistent snapshot and nobody
        ever waits on the pipeline's lock. Analysts start with the views and `warehouse/queries/`."""
        warehouse = news.warehouse()
        with warehouse.session(exclusive=True) as session:
            report = publish_warehouse(warehouse, session, context.partition_keys, context.run.run_id)
            contents = session.query("warehouse_totals")[0]
        metadata = report_metadata(report)
        metadata["path"] = dg.MetadataValue.path(warehouse.published_location)
        metadata["contents"] = dg.MetadataValue.md(markdown_table([{k: str(v) for k, v in contents.items()}]))
        return dg.MaterializeResult(metadata=metadata)

    return analyst_warehouse
