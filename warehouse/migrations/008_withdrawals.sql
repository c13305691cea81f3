-- 008: what the sources no longer hold. A seed file deleted, or a .jsonl line gone from its file, withdraws
-- its documents; an article none of whose documents remain is withdrawn: its row moves to
-- withdrawn_articles and everything derived from it (groups, parse, mentions, events, story membership,
-- search postings) is dropped, so no view, count or brief shows it. The bytes stay in documents: putting the
-- file back brings the article back. Story memberships remember the text they were assigned for, so an
-- edited article is clustered again.

CREATE TABLE withdrawn_documents (
    document_id  VARCHAR PRIMARY KEY,
    batch_key    VARCHAR NOT NULL,
    uri          VARCHAR NOT NULL,
    reason       VARCHAR NOT NULL,
    withdrawn_at TIMESTAMP NOT NULL,
    run_id       VARCHAR
);
COMMENT ON TABLE withdrawn_documents IS 'Documents their source no longer holds: the seed file was deleted, or its new content no longer has them (an edited file, a .jsonl line removed). Their bytes stay in documents; a document read again (the file put back) leaves this table.';
COMMENT ON COLUMN withdrawn_documents.document_id IS 'The document (documents.document_id).';
COMMENT ON COLUMN withdrawn_documents.batch_key IS 'Seed shard (partition) of its file.';
COMMENT ON COLUMN withdrawn_documents.uri IS 'The file it came from (documents.uri).';
COMMENT ON COLUMN withdrawn_documents.reason IS 'deleted (the file is gone) or replaced (the file''s new content no longer holds it).';
COMMENT ON COLUMN withdrawn_documents.withdrawn_at IS 'When the scanner found it gone (UTC).';
COMMENT ON COLUMN withdrawn_documents.run_id IS 'Dagster run that found it gone.';

CREATE TABLE withdrawn_articles (
    article_id   VARCHAR PRIMARY KEY,
    document_id  VARCHAR NOT NULL,
    title        VARCHAR,
    text_hash    VARCHAR NOT NULL,
    first_seen_at TIMESTAMP,
    withdrawn_at TIMESTAMP NOT NULL,
    run_id       VARCHAR
);
COMMENT ON TABLE withdrawn_articles IS 'Articles none of whose documents their sources still hold (every file or line they came from was deleted). They are in no view, count, story or search result; their documents keep the bytes, and the article returns if one of them is read again.';
COMMENT ON COLUMN withdrawn_articles.article_id IS 'The article id it had (and has again if it returns).';
COMMENT ON COLUMN withdrawn_articles.document_id IS 'The document it was last built from.';
COMMENT ON COLUMN withdrawn_articles.title IS 'Its headline.';
COMMENT ON COLUMN withdrawn_articles.text_hash IS 'Fingerprint of its text.';
COMMENT ON COLUMN withdrawn_articles.first_seen_at IS 'When the pipeline first saw it.';
COMMENT ON COLUMN withdrawn_articles.withdrawn_at IS 'When it was withdrawn (UTC).';
COMMENT ON COLUMN withdrawn_articles.run_id IS 'Dagster run that withdrew it.';

ALTER TABLE article_stories ADD COLUMN text_hash VARCHAR;
COMMENT ON COLUMN article_stories.text_hash IS 'The article''s text_hash when it joined: an article edited since is taken out of its story and clustered again. NULL for memberships older than this column.';
