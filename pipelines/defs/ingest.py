"""Assets: seed folder → documents → articles."""

from collections.abc import Iterator

import dagster as dg

from pipelines.core.articles import CLEANER_VERSION
from pipelines.core.sources.registry import is_feed_key
from pipelines.core.stages.clean_documents import clean_pending_documents
from pipelines.core.stages.poll_sources import poll_source_shards
from pipelines.core.stages.seed_documents import ingest_seed_shards
from pipelines.defs.checks import CountCheck
from pipelines.defs.common import BATCH_ASSET, POLL_NOW_TAG
from pipelines.defs.metadata import merged_metadata, report_metadata, table_total
from pipelines.defs.resources import NewsSettings

DOCUMENTS_UNIQUE = CountCheck(
    "documents", "document_ids_unique", "check_documents_unique", "No document id occurs twice."
)
ARTICLE_CHECKS = [
    CountCheck(
        "articles",
        "every_document_accounted",
        "check_documents_accounted",
        "Every document of the run's batches is an article, a reject, or withdrawn (its file was deleted).",
        per_batch=True,
    ),
    CountCheck("articles", "article_ids_unique", "check_articles_unique", "No article id occurs twice.", listed=True),
    CountCheck(
        "articles", "no_empty_articles", "check_articles_nonempty", "Every article has a title and non-empty text."
    ),
]


@dg.asset(
    **BATCH_ASSET,
    group_name="sources",
    kinds={"python", "duckdb"},
    check_specs=[
        DOCUMENTS_UNIQUE.spec(),
        dg.AssetCheckSpec(
            "sources_file_readable",
            asset="documents",
            blocking=False,
            description="The sources file could be read (when it cannot, sources are polled as last read).",
        ),
    ],
)
def documents(context: dg.AssetExecutionContext, news: NewsSettings) -> Iterator[dg.MaterializeResult]:
    """Inputs exactly as received, raw bytes kept.

    Seed batches (seeds-*): new or changed files of the seed shards become rows of `documents`.
    Unchanged files are skipped by size+mtime, touched files by hash; unreadable, oversized or escaping
    files become `rejects` rows (stage `read`).

    Feed batches (feeds-*): the sources file is synced into `sources`, and the due feeds and pages are
    polled (conditional GET; unchanged bodies are not parsed), or all of them when the run's tag
    `news/poll_now` is `all` (the one it names, by name, URL or id); each new feed entry becomes a
    document (its page, or the entry's own text when the page cannot be used), each new page version too. Every
    request is logged in `fetches`, every entry in `feed_entries`, each source's health in `sources`."""
    settings, run_id = news.settings(), context.run.run_id
    seed_keys = [k for k in context.partition_keys if not is_feed_key(k)]
    feed_keys = [k for k in context.partition_keys if is_feed_key(k)]
    with news.warehouse().session() as session:
        reports = []
        if seed_keys:
            reports.append(ingest_seed_shards(session, settings, seed_keys, run_id))
        if feed_keys:
            poll_now = context.run.tags.get(POLL_NOW_TAG)
            reports.append(poll_source_shards(session, settings, feed_keys, run_id, poll_now))
        check = DOCUMENTS_UNIQUE.result(session)
        total = table_total(session, "documents")
    problem = next((r.details["sources_file_error"] for r in reports if "sources_file_error" in r.details), None)
    if problem:
        context.log.error(problem)
    readable = dg.AssetCheckResult(
        asset_key="documents",
        check_name="sources_file_readable",
        passed=problem is None,
        severity=dg.AssetCheckSeverity.WARN,
        metadata={"problem": problem or ""},
    )
    yield dg.MaterializeResult(metadata=merged_metadata(reports) | total, check_results=[check, readable])


@dg.asset(
    **BATCH_ASSET,
    group_name="articles",
    code_version=CLEANER_VERSION,
    kinds={"python", "duckdb"},
    deps=[documents],
    check_specs=[check.spec() for check in ARTICLE_CHECKS],
)
def articles(context: dg.AssetExecutionContext, news: NewsSettings) -> Iterator[dg.MaterializeResult]:
    """Clean articles: pending documents are decoded, parsed by format, cleaned (headline once, standfirst,
    date line, dateline, furniture) and language-tagged; exact duplicates (same file/URL or same
    normalised text) collapse into one article. Failures become `rejects` rows with stage and reason."""
    with news.warehouse().session() as session:
        report = clean_pending_documents(session, context.partition_keys, context.run.run_id)
        checks = [check.result(session, context.partition_keys) for check in ARTICLE_CHECKS]
        metadata = report_metadata(report) | table_total(session, "articles_base")
    yield dg.MaterializeResult(metadata=metadata, check_results=checks)


INGEST_ASSETS = [documents, articles]
