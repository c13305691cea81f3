"""NLP assets: the one spaCy pass per article (entities and events read its stored parse)."""

from collections.abc import Iterator

import dagster as dg

from pipelines.core.nlp.model import nlp_version
from pipelines.core.stages.nlp_parse import parse_pending_articles
from pipelines.defs.checks import CountCheck
from pipelines.defs.common import BATCH_ASSET
from pipelines.defs.dedupe import near_duplicates
from pipelines.defs.metadata import report_metadata, table_total
from pipelines.defs.ordering import batches_to_adopt
from pipelines.defs.resources import NewsSettings


class SpacyModel(dg.ConfigurableResource):
    """The spaCy pipeline, loaded once per process; `processes` > 1 parses large batches in workers."""

    processes: int = 0  # 0: NEWS_WORKERS, else every core

    def worker_processes(self) -> int | None:
        return self.processes or None


PARSES_CURRENT = CountCheck(
    "nlp_parses",
    "parses_current",
    "check_nlp_current",
    "Every article of the run's batches has a parse (or a skip) of its current text by the current model.",
    per_batch=True,
)


@dg.asset(
    **BATCH_ASSET,
    group_name="nlp",
    kinds={"spacy", "duckdb"},
    deps=[near_duplicates],
    code_version=nlp_version(),
    check_specs=[PARSES_CURRENT.spec()],
)
def nlp_parses(
    context: dg.AssetExecutionContext, news: NewsSettings, spacy_model: SpacyModel
) -> Iterator[dg.MaterializeResult]:
    """One spaCy pass (tagger, dependency parser, lemmatizer, NER) over each new English article that is the
    canonical member of its near-duplicate group; the parse is stored in `article_nlp` so the entity and
    event stages never run the model again. Other languages, and copies of a report already parsed, are
    kept and marked skipped. Large batches are parsed by one worker process per core."""
    with news.warehouse().session() as session:
        report = parse_pending_articles(
            session,
            context.partition_keys,
            context.run.run_id,
            spacy_model.worker_processes(),
            adopted=batches_to_adopt(context, "nlp_parses"),
        )
        check = PARSES_CURRENT.result(session, context.partition_keys, version=nlp_version())
        metadata = report_metadata(report) | table_total(session, "article_nlp")
    yield dg.MaterializeResult(metadata=metadata, check_results=[check])


NLP_ASSETS = [nlp_parses]
