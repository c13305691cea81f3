-- Articles of the given batches whose current parse (or skip) has no mentions by the current entity rules,
-- or whose parse became a skip (mentions go) or a parse (mentions come).
SELECT n.article_id, n.text_hash, n.nlp_version, n.status
FROM article_nlp AS n
JOIN articles_base AS a USING (article_id)
WHERE n.text_hash = a.text_hash
  AND list_contains($batch_keys::VARCHAR[], a.batch_key)
  AND NOT EXISTS (
      SELECT 1 FROM article_entities AS e
      WHERE e.article_id = n.article_id AND e.text_hash = n.text_hash AND e.nlp_version = n.nlp_version
        AND e.entity_version = $version
        AND e.status = CASE WHEN n.status = 'parsed' THEN 'linked' ELSE 'skipped' END)
ORDER BY n.article_id
LIMIT $limit;
