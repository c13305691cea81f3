-- Parsed articles of the given batches whose events were not coded from their current parse by this coder.
SELECT a.article_id, a.batch_key, a.published_at, n.text_hash, n.nlp_version, n.docbin
FROM articles_base AS a
JOIN article_nlp AS n USING (article_id)
WHERE list_contains($batch_keys::VARCHAR[], a.batch_key)
  AND n.status = 'parsed' AND n.text_hash = a.text_hash
  AND NOT EXISTS (
      SELECT 1 FROM article_event_coding AS c
      WHERE c.article_id = a.article_id AND c.text_hash = n.text_hash
        AND c.nlp_version = n.nlp_version AND c.coder_version = $version)
ORDER BY a.first_seen_at, a.article_id
LIMIT $limit;
