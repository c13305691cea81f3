-- 002: feeds and web pages: the sources to poll and their health, every HTTP fetch, every feed entry seen.
-- Documents made from feeds and pages go to the tables of 001 (documents → articles/rejects), like seeds.

CREATE TABLE sources (
    source_id            VARCHAR PRIMARY KEY,
    kind                 VARCHAR NOT NULL,
    url                  VARCHAR NOT NULL,
    name                 VARCHAR,
    tags                 VARCHAR[],
    poll_minutes         INTEGER,
    batch_key            VARCHAR NOT NULL,
    enabled              BOOLEAN NOT NULL,
    status               VARCHAR NOT NULL,
    added_at             TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL,
    removed_at           TIMESTAMP,
    last_polled_at       TIMESTAMP,
    last_success_at      TIMESTAMP,
    last_error_at        TIMESTAMP,
    last_error           VARCHAR,
    last_warning         VARCHAR,
    consecutive_failures INTEGER NOT NULL,
    next_poll_at         TIMESTAMP,
    http_status          INTEGER,
    etag                 VARCHAR,
    last_modified        VARCHAR,
    body_sha256          VARCHAR,
    feed_title           VARCHAR,
    feed_version         VARCHAR
);
COMMENT ON TABLE sources IS 'Feeds and web pages from the sources file (NEWS_SOURCES_FILE), with their polling state and health. Entries removed from the file are disabled (status removed), never deleted.';
COMMENT ON COLUMN sources.source_id IS 'Hash of kind and canonical URL: the same feed written with other case or tracking parameters is one source.';
COMMENT ON COLUMN sources.kind IS 'feed (RSS/Atom/RDF: each new entry becomes a document) or page (the page itself is the document).';
COMMENT ON COLUMN sources.url IS 'URL as written in the sources file.';
COMMENT ON COLUMN sources.name IS 'Name given in the sources file, if any.';
COMMENT ON COLUMN sources.tags IS 'Tags given in the sources file.';
COMMENT ON COLUMN sources.poll_minutes IS 'Minutes between polls; NULL for a page fetched once.';
COMMENT ON COLUMN sources.batch_key IS 'Partition (feeds-00..feeds-07) the source belongs to, by a hash of source_id.';
COMMENT ON COLUMN sources.enabled IS 'False when the entry left the sources file (status removed) or is invalid.';
COMMENT ON COLUMN sources.status IS 'new (never polled), ok, failing (last poll failed; see last_error), removed (not in the sources file any more), invalid (the entry cannot be used; see last_error).';
COMMENT ON COLUMN sources.added_at IS 'When the entry first appeared in the sources file (UTC).';
COMMENT ON COLUMN sources.updated_at IS 'When the entry last changed in the sources file, or was removed (UTC).';
COMMENT ON COLUMN sources.removed_at IS 'When the entry left the sources file (UTC); NULL while it is in it.';
COMMENT ON COLUMN sources.last_polled_at IS 'Last poll, successful or not (UTC).';
COMMENT ON COLUMN sources.last_success_at IS 'Last poll that reached the feed or page, changed or not (UTC).';
COMMENT ON COLUMN sources.last_error_at IS 'Last failed poll (UTC).';
COMMENT ON COLUMN sources.last_error IS 'Why the last failed poll failed (HTTP status, timeout, not a feed, refused address…), or why an invalid entry is invalid.';
COMMENT ON COLUMN sources.last_warning IS 'Problem of the last successful feed parse that did not stop it (malformed XML read leniently, wrong Content-Type).';
COMMENT ON COLUMN sources.consecutive_failures IS 'Failed polls since the last success; each doubles the wait before the next poll (up to a day).';
COMMENT ON COLUMN sources.next_poll_at IS 'Earliest time the schedule polls the source again (UTC).';
COMMENT ON COLUMN sources.http_status IS 'HTTP status of the last poll (304 = not modified).';
COMMENT ON COLUMN sources.etag IS 'ETag of the last response, sent back as If-None-Match.';
COMMENT ON COLUMN sources.last_modified IS 'Last-Modified of the last response, sent back as If-Modified-Since.';
COMMENT ON COLUMN sources.body_sha256 IS 'SHA-256 of the last body received: an identical body is not parsed again, whatever the ETag says.';
COMMENT ON COLUMN sources.feed_title IS 'Title the feed gives itself.';
COMMENT ON COLUMN sources.feed_version IS 'Feed format detected by feedparser: rss090, rss091, rss10, rss20, atom03, atom10, …';

CREATE TABLE fetches (
    fetch_id     VARCHAR PRIMARY KEY,
    source_id    VARCHAR NOT NULL,
    batch_key    VARCHAR NOT NULL,
    purpose      VARCHAR NOT NULL,
    url          VARCHAR NOT NULL,
    final_url    VARCHAR,
    requested_at TIMESTAMP NOT NULL,
    seconds      DOUBLE NOT NULL,
    attempts     INTEGER NOT NULL,
    http_status  INTEGER,
    outcome      VARCHAR NOT NULL,
    error        VARCHAR,
    content_type VARCHAR,
    etag         VARCHAR,
    last_modified VARCHAR,
    size_bytes   BIGINT,
    body_sha256  VARCHAR,
    raw          BLOB,
    run_id       VARCHAR
);
COMMENT ON TABLE fetches IS 'Every HTTP request the pipeline made for a feed or page: status, validators, size, timing. Feed bodies are kept here (raw) whenever they changed; page bodies are kept in documents.';
COMMENT ON COLUMN fetches.fetch_id IS 'Hash of URL, purpose and request time.';
COMMENT ON COLUMN fetches.source_id IS 'The source polled (for an entry page: the feed that listed it).';
COMMENT ON COLUMN fetches.batch_key IS 'Partition of the source.';
COMMENT ON COLUMN fetches.purpose IS 'feed (a feed poll), page (a page source), entry_page (the page a feed entry links to).';
COMMENT ON COLUMN fetches.url IS 'URL requested.';
COMMENT ON COLUMN fetches.final_url IS 'URL after redirects.';
COMMENT ON COLUMN fetches.requested_at IS 'When the request started (UTC).';
COMMENT ON COLUMN fetches.seconds IS 'Time taken, retries and politeness waits included.';
COMMENT ON COLUMN fetches.attempts IS 'Attempts made (retries on timeouts and 5xx); 0 when refused before any request.';
COMMENT ON COLUMN fetches.http_status IS 'HTTP status of the last response; NULL when none came.';
COMMENT ON COLUMN fetches.outcome IS 'new (a body not seen before), unchanged (same body as last time: not parsed), not_modified (304), error.';
COMMENT ON COLUMN fetches.error IS 'What went wrong, for outcome error.';
COMMENT ON COLUMN fetches.content_type IS 'Content-Type header of the response.';
COMMENT ON COLUMN fetches.etag IS 'ETag header of the response.';
COMMENT ON COLUMN fetches.last_modified IS 'Last-Modified header of the response.';
COMMENT ON COLUMN fetches.size_bytes IS 'Decoded body size in bytes.';
COMMENT ON COLUMN fetches.body_sha256 IS 'SHA-256 of the decoded body.';
COMMENT ON COLUMN fetches.raw IS 'The feed body as received, when it was new; NULL otherwise (unchanged bodies are stored once; page bodies live in documents.raw).';
COMMENT ON COLUMN fetches.run_id IS 'Dagster run that fetched.';

CREATE TABLE feed_entries (
    entry_key     VARCHAR PRIMARY KEY,
    source_id     VARCHAR NOT NULL,
    batch_key     VARCHAR NOT NULL,
    entry_id      VARCHAR NOT NULL,
    link          VARCHAR,
    canonical_url VARCHAR,
    title         VARCHAR,
    published_at  TIMESTAMP,
    entry         JSON NOT NULL,
    document_id   VARCHAR,
    page_status   VARCHAR NOT NULL,
    page_error    VARCHAR,
    fetch_id      VARCHAR NOT NULL,
    first_seen_at TIMESTAMP NOT NULL,
    run_id        VARCHAR
);
COMMENT ON TABLE feed_entries IS 'Every entry seen in a feed, once per feed: what the feed said, and the document (page or entry text) it became. Join articles on canonical_url to see which feeds carried an article.';
COMMENT ON COLUMN feed_entries.entry_key IS 'Hash of source_id and entry_id: an entry is new to a feed once.';
COMMENT ON COLUMN feed_entries.source_id IS 'The feed.';
COMMENT ON COLUMN feed_entries.batch_key IS 'Partition of the feed.';
COMMENT ON COLUMN feed_entries.entry_id IS 'The entry''s id/guid as given, else its link, else a hash of its title and summary.';
COMMENT ON COLUMN feed_entries.link IS 'Absolute URL of the article page (relative links resolved against the feed URL); NULL when the entry has no http(s) link.';
COMMENT ON COLUMN feed_entries.canonical_url IS 'link normalised (scheme/host case, tracking parameters and fragment removed).';
COMMENT ON COLUMN feed_entries.title IS 'Headline as given by the feed.';
COMMENT ON COLUMN feed_entries.published_at IS 'Publication (or update) time given by the feed (UTC).';
COMMENT ON COLUMN feed_entries.entry IS 'The entry as read (link, title, published, author, summary, content with their types): the fallback text when the page is unusable.';
COMMENT ON COLUMN feed_entries.document_id IS 'Document made for this entry (its page, or the entry itself); NULL when its link was already fetched for another entry (page_status known_link).';
COMMENT ON COLUMN feed_entries.page_status IS 'fetched (the page is the document), known_link (the page was fetched before, for this or another feed), entry_only (the entry''s own text is the document; page_error says why).';
COMMENT ON COLUMN feed_entries.page_error IS 'Why the page was not used: HTTP error, robots.txt, not HTML, too large, no http(s) link, over the per-poll page limit.';
COMMENT ON COLUMN feed_entries.fetch_id IS 'Feed fetch that first listed the entry.';
COMMENT ON COLUMN feed_entries.first_seen_at IS 'When the entry was first seen (UTC).';
COMMENT ON COLUMN feed_entries.run_id IS 'Dagster run that first saw it.';
