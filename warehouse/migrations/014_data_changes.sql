-- 014: data versions as an append-only log. Concurrent writers (the lake backend) then never delete each
-- other's rows, as every transaction rewriting the data_version rows of warehouse_meta did.

CREATE TABLE data_changes (
    topic      VARCHAR NOT NULL,
    changed_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE data_changes IS 'One row per committed transaction that changed data, by topic: the warehouse''s data version is the number of rows, a topic''s version the number of its rows. Publish compares it with the version last published; the entity and corrections stages skip work when what they read did not change.';
COMMENT ON COLUMN data_changes.topic IS 'What changed: documents, sources, articles, near_duplicates, nlp, entity_mentions, entities, events, event_corrections, stories, search.';
COMMENT ON COLUMN data_changes.changed_at IS 'When the change was written (UTC).';

-- The versions warehouse_meta kept before: the next run publishes once more and relinks entities once.
DELETE FROM warehouse_meta
WHERE key IN ('data_version', 'documents_version', 'sources_version', 'articles_version', 'near_duplicates_version',
              'nlp_version', 'entity_mentions_version', 'entities_version', 'events_version',
              'event_corrections_version', 'stories_version', 'search_version');
