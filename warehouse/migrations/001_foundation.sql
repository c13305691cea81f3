-- 001: documents as received, cleaned articles, rejects, scanner state, run log.
-- Conventions: ids are 16-hex-char hashes of what identifies the row (stable across re-runs);
-- timestamps are naive UTC; batch_key is the Dagster partition key of the batch that wrote the row.

CREATE TABLE documents (
    document_id   VARCHAR PRIMARY KEY,
    batch_key     VARCHAR NOT NULL,
    source_kind   VARCHAR NOT NULL,
    source_id     VARCHAR,
    uri           VARCHAR NOT NULL,
    locator       VARCHAR,
    content_type  VARCHAR,
    size_bytes    BIGINT,
    sha256        VARCHAR,
    raw           BLOB,
    raw_truncated BOOLEAN NOT NULL DEFAULT false,
    fetched_at    TIMESTAMP NOT NULL,
    file_mtime    TIMESTAMP,
    run_id        VARCHAR
);
COMMENT ON TABLE documents IS 'One input exactly as received (a seed file, one line of a .jsonl file, a fetched feed entry or page). Append-only: never updated or deleted, so everything downstream can be recomputed from it.';
COMMENT ON COLUMN documents.document_id IS 'Hash of source kind, uri, locator and content sha256: the same bytes from the same place are one document.';
COMMENT ON COLUMN documents.batch_key IS 'Dagster partition (batch) that ingested the document, e.g. seeds-03.';
COMMENT ON COLUMN documents.source_kind IS 'seed_folder, feed or page.';
COMMENT ON COLUMN documents.source_id IS 'sources.source_id for feeds and pages; NULL for the seed folder.';
COMMENT ON COLUMN documents.uri IS 'File path (seed folder, as configured in NEWS_SEEDS_DIR) or URL the document came from.';
COMMENT ON COLUMN documents.locator IS 'Where inside the uri, when one uri holds several documents: "line 7" of a .jsonl file.';
COMMENT ON COLUMN documents.content_type IS 'text/plain, text/markdown, text/html or application/x-ndjson (one JSON line).';
COMMENT ON COLUMN documents.size_bytes IS 'Size of the full input in bytes (even when raw holds only a prefix).';
COMMENT ON COLUMN documents.sha256 IS 'SHA-256 of the full input bytes; NULL when the input could not be read.';
COMMENT ON COLUMN documents.raw IS 'The bytes as received; NULL when they could not be read (see rejects). Oversized inputs keep a prefix (raw_truncated).';
COMMENT ON COLUMN documents.raw_truncated IS 'True when raw holds only the first bytes of an input over the size limit.';
COMMENT ON COLUMN documents.fetched_at IS 'When the pipeline read or fetched the input (UTC).';
COMMENT ON COLUMN documents.file_mtime IS 'Modification time of the seed file when read (UTC); NULL for fetched inputs.';
COMMENT ON COLUMN documents.run_id IS 'Dagster run that ingested the document.';

CREATE TABLE seed_files (
    relpath     VARCHAR PRIMARY KEY,
    uri         VARCHAR NOT NULL,
    size_bytes  BIGINT,
    mtime_ns    BIGINT,
    sha256      VARCHAR,
    document_id VARCHAR,
    status      VARCHAR NOT NULL,
    batch_key   VARCHAR NOT NULL,
    seen_at     TIMESTAMP NOT NULL
);
COMMENT ON TABLE seed_files IS 'What the seed-folder scanner last saw of each file, so a run reads only new or changed files.';
COMMENT ON COLUMN seed_files.relpath IS 'Path relative to the seed folder (the file''s identity).';
COMMENT ON COLUMN seed_files.uri IS 'Path as shown in documents.uri.';
COMMENT ON COLUMN seed_files.size_bytes IS 'Size when last read.';
COMMENT ON COLUMN seed_files.mtime_ns IS 'Modification time (ns since epoch) when last read; a touch with unchanged content creates no document.';
COMMENT ON COLUMN seed_files.sha256 IS 'SHA-256 of the content when last read.';
COMMENT ON COLUMN seed_files.document_id IS 'Document created from the current content (for .jsonl files: NULL, one document per line).';
COMMENT ON COLUMN seed_files.status IS 'ok, or why the file was not read: refused_symlink, too_large, vanished, unreadable, unsupported.';
COMMENT ON COLUMN seed_files.batch_key IS 'Seed shard (partition) the file belongs to.';
COMMENT ON COLUMN seed_files.seen_at IS 'When the scanner last changed this row (UTC).';

CREATE TABLE articles_base (
    article_id       VARCHAR PRIMARY KEY,
    document_id      VARCHAR NOT NULL,
    batch_key        VARCHAR NOT NULL,
    identity_key     VARCHAR NOT NULL,
    url              VARCHAR,
    canonical_url    VARCHAR,
    title            VARCHAR,
    title_source     VARCHAR,
    standfirst       VARCHAR,
    byline           VARCHAR,
    dateline         VARCHAR,
    agency           VARCHAR,
    site_name        VARCHAR,
    published_at     TIMESTAMP,
    published_source VARCHAR,
    language         VARCHAR NOT NULL,
    language_score   DOUBLE,
    text             VARCHAR NOT NULL,
    word_count       INTEGER NOT NULL,
    text_hash        VARCHAR NOT NULL,
    encoding         VARCHAR,
    text_source      VARCHAR,
    cleaning         JSON,
    cleaner_version  VARCHAR NOT NULL,
    first_seen_at    TIMESTAMP NOT NULL,
    updated_at       TIMESTAMP NOT NULL
);
COMMENT ON TABLE articles_base IS 'Cleaned article text, one row per article; read it through the view articles, which adds the columns later stages maintain.';
COMMENT ON COLUMN articles_base.article_id IS 'Hash of identity_key: stable across runs.';
COMMENT ON COLUMN articles_base.document_id IS 'Document whose text this row holds (the first one, or the latest version of an edited file).';
COMMENT ON COLUMN articles_base.batch_key IS 'Partition (batch) that last wrote the row.';
COMMENT ON COLUMN articles_base.identity_key IS 'What makes it this article: its canonical URL, else where it was read from (seed_folder:<uri>[#line N]).';
COMMENT ON COLUMN articles_base.url IS 'URL as given by the source (JSONL url, feed link, page address); NULL for plain seed files.';
COMMENT ON COLUMN articles_base.canonical_url IS 'url normalised (scheme/host case, tracking parameters and fragment removed); one canonical URL = one article.';
COMMENT ON COLUMN articles_base.title IS 'Headline, printed once.';
COMMENT ON COLUMN articles_base.title_source IS 'first_line (plain text headline), given (HTML/JSONL/front matter) or first_sentence (the file has no headline line).';
COMMENT ON COLUMN articles_base.standfirst IS 'Summary line printed under the headline, kept apart from the body; NULL when absent.';
COMMENT ON COLUMN articles_base.byline IS 'Author(s) when the source states them.';
COMMENT ON COLUMN articles_base.dateline IS 'Place the story was filed from ("Moscow" in "Reuters, Moscow :"), removed from the body.';
COMMENT ON COLUMN articles_base.agency IS 'News agency named in the dateline (Reuters, AFP…).';
COMMENT ON COLUMN articles_base.site_name IS 'Publisher site name from page metadata.';
COMMENT ON COLUMN articles_base.published_at IS 'Publication time (UTC) as stated by the source or a date line in the text; NULL when nothing states it (never the ingest date).';
COMMENT ON COLUMN articles_base.published_source IS 'Where published_at came from: date_line, metadata (HTML/JSONL/front matter), or NULL.';
COMMENT ON COLUMN articles_base.language IS 'ISO 639-1 code detected from the body (py3langid), or und when too short/uncertain.';
COMMENT ON COLUMN articles_base.language_score IS 'Probability of the detected language (0-1).';
COMMENT ON COLUMN articles_base.text IS 'Body text: paragraphs separated by one blank line; headline, standfirst, dateline and publisher furniture removed; Unicode NFC, words unchanged.';
COMMENT ON COLUMN articles_base.word_count IS 'Words in text.';
COMMENT ON COLUMN articles_base.text_hash IS 'Hash of the body''s words (case, accents, punctuation ignored): equal hashes = exact duplicates.';
COMMENT ON COLUMN articles_base.encoding IS 'Character encoding the bytes were decoded from (utf-8, utf-8-sig, utf-16-le, cp1252, cp1251…).';
COMMENT ON COLUMN articles_base.text_source IS 'Which text was used: text, markdown, html, jsonl.text, jsonl.html (feeds add page/entry fallbacks).';
COMMENT ON COLUMN articles_base.cleaning IS 'JSON list of [rule, line] removed by the cleaner (rules: pipelines/core/rules/cleaning.yaml).';
COMMENT ON COLUMN articles_base.cleaner_version IS 'Version of the cleaning code and rules that produced the row.';
COMMENT ON COLUMN articles_base.first_seen_at IS 'When the article first entered the warehouse (UTC).';
COMMENT ON COLUMN articles_base.updated_at IS 'When the row was last written (UTC).';

CREATE TABLE document_articles (
    document_id     VARCHAR PRIMARY KEY,
    article_id      VARCHAR NOT NULL,
    relation        VARCHAR NOT NULL,
    batch_key       VARCHAR NOT NULL,
    cleaner_version VARCHAR NOT NULL,
    processed_at    TIMESTAMP NOT NULL
);
COMMENT ON TABLE document_articles IS 'Which article each successfully cleaned document became. With rejects it accounts for every document.';
COMMENT ON COLUMN document_articles.document_id IS 'The document.';
COMMENT ON COLUMN document_articles.article_id IS 'The article it is (or repeats).';
COMMENT ON COLUMN document_articles.relation IS 'new (created the article), updated (new version of the same file/URL), same_source (same file or canonical URL, same text), same_text (exact duplicate text from elsewhere).';
COMMENT ON COLUMN document_articles.batch_key IS 'Partition that processed the document.';
COMMENT ON COLUMN document_articles.cleaner_version IS 'Cleaner version that processed it.';
COMMENT ON COLUMN document_articles.processed_at IS 'When (UTC).';

CREATE TABLE rejects (
    reject_id   VARCHAR PRIMARY KEY,
    document_id VARCHAR NOT NULL,
    batch_key   VARCHAR NOT NULL,
    stage       VARCHAR NOT NULL,
    reason      VARCHAR NOT NULL,
    uri         VARCHAR NOT NULL,
    rejected_at TIMESTAMP NOT NULL,
    run_id      VARCHAR,
    code_version VARCHAR
);
COMMENT ON TABLE rejects IS 'Every document a stage could not use, with the stage and a reason a person can act on. The original bytes stay in documents.raw.';
COMMENT ON COLUMN rejects.reject_id IS 'Hash of document_id and stage.';
COMMENT ON COLUMN rejects.document_id IS 'The rejected document (join documents for its bytes).';
COMMENT ON COLUMN rejects.batch_key IS 'Partition that rejected it.';
COMMENT ON COLUMN rejects.stage IS 'read (file access/size/safety), decode (bytes to text), parse (format), extract (HTML), clean (no body left).';
COMMENT ON COLUMN rejects.reason IS 'What was wrong and what to do about it.';
COMMENT ON COLUMN rejects.uri IS 'File path or URL, repeated from documents for convenience.';
COMMENT ON COLUMN rejects.rejected_at IS 'When (UTC).';
COMMENT ON COLUMN rejects.run_id IS 'Dagster run that rejected it.';
COMMENT ON COLUMN rejects.code_version IS 'Version of the stage code that rejected it; a newer version retries the document.';

CREATE TABLE pipeline_runs (
    run_id         VARCHAR NOT NULL,
    stage          VARCHAR NOT NULL,
    batch_keys     VARCHAR[] NOT NULL,
    started_at     TIMESTAMP NOT NULL,
    finished_at    TIMESTAMP NOT NULL,
    seconds        DOUBLE NOT NULL,
    rows_in        BIGINT NOT NULL,
    rows_new       BIGINT NOT NULL,
    rows_updated   BIGINT NOT NULL,
    rows_duplicate BIGINT NOT NULL,
    rows_rejected  BIGINT NOT NULL,
    PRIMARY KEY (run_id, stage)
);
COMMENT ON TABLE pipeline_runs IS 'One row per stage of each run: what came in, what came out, how long it took.';
COMMENT ON COLUMN pipeline_runs.run_id IS 'Dagster run id (or cli-<time> for runs outside Dagster).';
COMMENT ON COLUMN pipeline_runs.stage IS 'Stage name: documents, articles, publish, …';
COMMENT ON COLUMN pipeline_runs.batch_keys IS 'Partitions (batches) the stage processed in this run.';
COMMENT ON COLUMN pipeline_runs.started_at IS 'Start (UTC).';
COMMENT ON COLUMN pipeline_runs.finished_at IS 'End (UTC).';
COMMENT ON COLUMN pipeline_runs.seconds IS 'Wall time.';
COMMENT ON COLUMN pipeline_runs.rows_in IS 'Items examined (files, documents, articles).';
COMMENT ON COLUMN pipeline_runs.rows_new IS 'Rows created.';
COMMENT ON COLUMN pipeline_runs.rows_updated IS 'Rows replaced by a new version.';
COMMENT ON COLUMN pipeline_runs.rows_duplicate IS 'Items that repeated something already stored.';
COMMENT ON COLUMN pipeline_runs.rows_rejected IS 'Items rejected (see rejects).';

CREATE TABLE warehouse_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
COMMENT ON TABLE warehouse_meta IS 'Bookkeeping: data_version (bumped by every committed change), published_version, fts_version.';
COMMENT ON COLUMN warehouse_meta.key IS 'Name.';
COMMENT ON COLUMN warehouse_meta.value IS 'Value.';
