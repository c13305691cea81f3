-- Documents of the given batches that the current cleaner has not turned into an article or a reject:
-- new documents, and documents last processed by another cleaner version (rules changed). In arrival
-- order, so the first copy of a duplicated text becomes the article. `entry` is the feed entry a
-- fetched document was made for (its headline, date and fallback text), NULL for other documents.
SELECT d.document_id, d.batch_key, d.uri, d.locator, d.content_type, d.raw, d.fetched_at, d.source_kind,
       (SELECT arg_min(e.entry, e.first_seen_at) FROM feed_entries AS e
        WHERE e.document_id = d.document_id)::VARCHAR AS entry
FROM documents AS d
WHERE list_contains($batch_keys::VARCHAR[], d.batch_key)
  AND d.raw IS NOT NULL
  AND NOT d.raw_truncated
  AND NOT EXISTS (
      SELECT 1 FROM document_articles AS x
      WHERE x.document_id = d.document_id AND x.cleaner_version = $version)
  AND NOT EXISTS (
      SELECT 1 FROM rejects AS r
      WHERE r.document_id = d.document_id AND (r.stage = 'read' OR r.code_version = $version))
ORDER BY d.fetched_at, d.uri, length(coalesce(d.locator, '')), d.locator, d.document_id
LIMIT $limit;
