"""The corrections file as a resource, the event corrections asset, and the check that reports entries
that match nothing (stale), part of what they name (partial) or too much (ambiguous)."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from pipelines.core.corrections import Corrections, corrections_path, load_corrections
from pipelines.core.stages.apply_corrections import apply_event_corrections
from pipelines.core.storage import Session
from pipelines.defs.common import GLOBAL_ASSET
from pipelines.defs.metadata import report_metadata, table_total
from pipelines.defs.ordering import wait_for_batches_in_flight
from pipelines.defs.resources import NewsSettings


class CorrectionsFile(dg.ConfigurableResource):
    """The analysts' corrections file (event, story, near-duplicate fixes); empty path: NEWS_CORRECTIONS, else the
    repository's pipelines/core/rules/corrections.yaml."""

    path: str = ""

    def file(self) -> Path:
        return Path(self.path) if self.path else corrections_path()

    def load(self) -> Corrections:
        return load_corrections(self.file())


def unapplied_check(asset: str, section: str) -> tuple[dg.AssetCheckSpec, object]:
    """A warning check (it never blocks the run) listing the section's entries not fully applied."""
    name = f"{section}_corrections_in_use"
    description = (
        f"Every {section} entry of the corrections file matches what it names (none stale, partial or ambiguous)."
    )

    def result(session: Session) -> dg.AssetCheckResult:
        rows = session.query("stale_corrections", section=section)
        return dg.AssetCheckResult(
            asset_key=asset,
            check_name=name,
            passed=not rows,
            severity=dg.AssetCheckSeverity.WARN,
            metadata={"violations": len(rows), "entries": dg.MetadataValue.json(rows)},
            description=description,
        )

    return dg.AssetCheckSpec(name, asset=asset, blocking=False, description=description), result


EVENT_CHECK, event_check_result = unapplied_check("event_corrections", "events")
STORY_CHECK, story_check_result = unapplied_check("stories", "stories")
DUPLICATE_CHECK, duplicate_check_result = unapplied_check("near_duplicates", "duplicates")


@dg.asset(
    **GLOBAL_ASSET,
    group_name="stories_events",
    kinds={"python", "duckdb"},
    # By key: the events module wires stories after this asset, and the dedupe module imports this one.
    deps=[dg.AssetKey("events"), dg.AssetKey("entities")],
    check_specs=[EVENT_CHECK],
)
def event_corrections(
    context: dg.AssetExecutionContext, news: NewsSettings, corrections: CorrectionsFile
) -> Iterator[dg.MaterializeResult]:
    """The analysts' event fixes (drop, change type, mode, actor, recipient, place, date) matched against the
    coded events and kept as an overlay (event_corrections) that corrected_events and every count apply;
    the coded rows are never changed. Each entry's status is in the corrections table."""
    wait_for_batches_in_flight(context, "event_corrections")
    fixes = corrections.load()
    with news.warehouse().session(exclusive=True) as session:
        report = apply_event_corrections(session, context.partition_keys, context.run.run_id, fixes)
        checks = [event_check_result(session)]
        metadata = report_metadata(report) | table_total(session, "event_corrections")
    metadata["corrections_file"] = dg.MetadataValue.path(str(corrections.file()))
    yield dg.MaterializeResult(metadata=metadata, check_results=checks)


CORRECTION_ASSETS = [event_corrections]
