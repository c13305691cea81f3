-- Documents of the given batches that the current cleaner has not turned into an article or a reject:
-- new documents, and documents last processed by another cleaner version (rules changed), unless their
-- source no longer holds them (withdrawn_documents). In arrival
-- order, so the first copy of a duplicated text becomes the article. `entry` is the feed entry a
-- fetched document was made for (its headline, date and fallback text), NULL for other documents.
-- The bytes are fetched after choosing (raw_for.sql): selecting them here would read the bytes of every
-- document of the batches before the joins drop those already done, a cost that grows with the warehouse.
SELECT d.document_id, d.batch_key, d.uri, d.locator, d.content_type, d.fetched_at, d.source_kind, d.declared_charset,
       (SELECT arg_min(e.entry, e.first_seen_at) FROM feed_entries AS e
        WHERE e.document_id = d.document_id)::VARCHAR AS entry
FROM documents AS d
WHERE list_contains($batch_keys::VARCHAR[], d.batch_key)
  AND d.sha256 IS NOT NULL  -- the bytes were read (sha256 is theirs)
  AND NOT d.raw_truncated
  AND NOT EXISTS (
      SELECT 1 FROM document_articles AS x
      WHERE x.document_id = d.document_id AND x.cleaner_version = $version)
  AND NOT EXISTS (
      SELECT 1 FROM rejects AS r
      WHERE r.document_id = d.document_id AND (r.stage = 'read' OR r.code_version = $version))
  AND NOT EXISTS (SELECT 1 FROM withdrawn_documents AS w WHERE w.document_id = d.document_id)
ORDER BY d.fetched_at, d.uri, length(coalesce(d.locator, '')), d.locator, d.document_id
LIMIT $limit;
