"""Entity assets: mentions per article from the stored parse, then canonical entities across articles."""

from collections.abc import Iterator
from pathlib import Path

import dagster as dg

from pipelines.core.nlp.article_linking import entity_version
from pipelines.core.nlp.entity_clusters import LINKER_VERSION
from pipelines.core.nlp.overrides import load_overrides, overrides_path
from pipelines.core.stages.entity_linking import link_entities
from pipelines.core.stages.entity_mentions import extract_pending_mentions
from pipelines.defs.checks import CountCheck
from pipelines.defs.common import BATCH_ASSET, GLOBAL_ASSET
from pipelines.defs.metadata import report_metadata, table_total
from pipelines.defs.nlp import nlp_parses
from pipelines.defs.ordering import batches_to_adopt, wait_for_batches_in_flight
from pipelines.defs.resources import NewsSettings


class EntityOverrides(dg.ConfigurableResource):
    """The overrides file (merge, split, geocode fixes); empty path: NEWS_ENTITY_OVERRIDES, else the
    repository's pipelines/core/rules/entity_overrides.yaml."""

    path: str = ""

    def file(self) -> Path:
        return Path(self.path) if self.path else overrides_path()


MENTIONS_CURRENT = CountCheck(
    "entity_mentions",
    "mentions_current",
    "check_entity_mentions_current",
    "Every parsed (or skipped) article of the run's batches has mentions from its current parse by the current rules.",
    per_batch=True,
)
OFFSETS_IN_TEXT = CountCheck(
    "entity_mentions",
    "mention_offsets_in_text",
    "check_mention_offsets",
    "Every mention the step wrote in the run's batches lies inside its article's text and spells its surface there.",
    per_batch=True,
)
ENTITY_CHECKS = [
    CountCheck(
        "entities",
        "mentions_have_entities",
        "check_mentions_have_entities",
        "Every mention in the run's batches points to an entity.",
        per_batch=True,
    ),
    CountCheck(
        "entities",
        "geocodes_consistent",
        "check_entity_geocodes",
        "Places have coordinates exactly when geocoded; only places have a geo_status.",
    ),
]
# What both entity assets share beyond what every writing asset shares (defs/common.py).
_ENTITY_ASSET = {"group_name": "entities", "kinds": {"python", "duckdb"}}


@dg.asset(
    **BATCH_ASSET,
    **_ENTITY_ASSET,
    deps=[nlp_parses],
    code_version=entity_version(),
    check_specs=[MENTIONS_CURRENT.spec(), OFFSETS_IN_TEXT.spec()],
)
def entity_mentions(context: dg.AssetExecutionContext, news: NewsSettings) -> Iterator[dg.MaterializeResult]:
    """Entity mentions of each new or re-parsed English article, read from its stored parse (spaCy does
    not run again): names trimmed and split, defined acronyms and missed repeats added, short names
    joined to the full name in the article, demonyms resolved to countries, places geocoded with the
    article's countries as context. Re-processing an article replaces its mentions."""
    with news.warehouse().session() as session:
        adopted = batches_to_adopt(context, "entity_mentions")
        report = extract_pending_mentions(session, context.partition_keys, context.run.run_id, adopted=adopted)
        keys = context.partition_keys
        checks = [
            MENTIONS_CURRENT.result(session, keys, version=entity_version()),
            OFFSETS_IN_TEXT.result(session, keys, since=report.started_at),
        ]
        metadata = report_metadata(report) | table_total(session, "entity_mentions_base")
    yield dg.MaterializeResult(metadata=metadata, check_results=checks)


@dg.asset(
    **GLOBAL_ASSET,
    **_ENTITY_ASSET,
    deps=[entity_mentions],
    code_version=LINKER_VERSION,
    check_specs=[check.spec() for check in ENTITY_CHECKS],
)
def entities(
    context: dg.AssetExecutionContext, news: NewsSettings, entity_overrides: EntityOverrides
) -> Iterator[dg.MaterializeResult]:
    """Canonical entities: the keys of all mentions joined across articles (same folded name, an alias
    used in another article, a surname with one known full name), then the overrides file (merge,
    split, geocode fixes). Entity ids are hashes of canonical keys, stable across runs."""
    wait_for_batches_in_flight(context, "entities")
    overrides = load_overrides(entity_overrides.file())
    with news.warehouse().session(exclusive=True) as session:
        report = link_entities(session, context.partition_keys, context.run.run_id, overrides)
        checks = [check.result(session, context.partition_keys) for check in ENTITY_CHECKS]
        metadata = report_metadata(report) | table_total(session, "entities")
    metadata["overrides_file"] = dg.MetadataValue.path(str(entity_overrides.file()))
    yield dg.MaterializeResult(metadata=metadata, check_results=checks)


ENTITY_ASSETS = [entity_mentions, entities]
