-- Mentions in articles of the given batches that do not point to an entity (no link for their keys, or a
-- link to a missing entity).
SELECT count(*)
FROM entity_mentions_base AS m
JOIN articles_base AS a USING (article_id)
LEFT JOIN entity_links AS l USING (entity_key, surface_key)
LEFT JOIN entities AS e ON e.entity_id = l.entity_id
WHERE list_contains($batch_keys::VARCHAR[], a.batch_key)
  AND e.entity_id IS NULL;
