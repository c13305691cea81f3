"""Assets: seed folder → documents → articles."""

from collections.abc import Iterator

import dagster as dg

from pipelines.core.articles import CLEANER_VERSION
from pipelines.core.stages.clean_documents import clean_pending_documents
from pipelines.core.stages.seed_documents import ingest_seed_shards
from pipelines.defs.checks import CountCheck
from pipelines.defs.common import BATCHES, OWNERS, SINGLE_RUN, WRITER_POOL
from pipelines.defs.metadata import report_metadata
from pipelines.defs.resources import NewsSettings

DOCUMENTS_UNIQUE = CountCheck(
    "documents", "document_ids_unique", "check_documents_unique", "No document id occurs twice."
)
ARTICLE_CHECKS = [
    CountCheck(
        "articles",
        "every_document_accounted",
        "check_documents_accounted",
        "Every document is an article or a reject.",
    ),
    CountCheck("articles", "article_ids_unique", "check_articles_unique", "No article id occurs twice."),
    CountCheck(
        "articles", "no_empty_articles", "check_articles_nonempty", "Every article has a title and non-empty text."
    ),
]


@dg.asset(
    partitions_def=BATCHES,
    backfill_policy=SINGLE_RUN,
    pool=WRITER_POOL,
    group_name="sources",
    kinds={"python", "duckdb"},
    owners=OWNERS,
    check_specs=[DOCUMENTS_UNIQUE.spec()],
)
def documents(context: dg.AssetExecutionContext, news: NewsSettings) -> Iterator[dg.MaterializeResult]:
    """Inputs exactly as received: new or changed files of the seed shards in this run become rows of
    `documents` (raw bytes kept). Unchanged files are skipped by size+mtime, touched files by hash;
    unreadable, oversized or escaping files become `rejects` rows (stage `read`)."""
    with news.warehouse().session() as session:
        report = ingest_seed_shards(session, news.settings(), context.partition_keys, context.run.run_id)
        check = DOCUMENTS_UNIQUE.result(session)
    yield dg.MaterializeResult(metadata=report_metadata(report), check_results=[check])


@dg.asset(
    partitions_def=BATCHES,
    backfill_policy=SINGLE_RUN,
    pool=WRITER_POOL,
    group_name="articles",
    code_version=CLEANER_VERSION,
    kinds={"python", "duckdb"},
    owners=OWNERS,
    deps=[documents],
    check_specs=[check.spec() for check in ARTICLE_CHECKS],
)
def articles(context: dg.AssetExecutionContext, news: NewsSettings) -> Iterator[dg.MaterializeResult]:
    """Clean articles: pending documents are decoded, parsed by format, cleaned (headline once, standfirst,
    date line, dateline, furniture) and language-tagged; exact duplicates (same file/URL or same
    normalised text) collapse into one article. Failures become `rejects` rows with stage and reason."""
    with news.warehouse().session() as session:
        report = clean_pending_documents(session, context.partition_keys, context.run.run_id)
        checks = [check.result(session) for check in ARTICLE_CHECKS]
    yield dg.MaterializeResult(metadata=report_metadata(report), check_results=checks)


INGEST_ASSETS = [documents, articles]
