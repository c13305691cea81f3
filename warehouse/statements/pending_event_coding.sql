-- Articles of the given batches to (re)code: parsed ones whose events were not coded from their current parse
-- by this coder, and ones whose parse became a skip while they still have events (those events go).
SELECT a.article_id, a.batch_key, a.published_at, n.text_hash, n.nlp_version, n.status
FROM articles_base AS a
JOIN article_nlp AS n USING (article_id)
WHERE n.text_hash = a.text_hash
  AND list_contains($batch_keys::VARCHAR[], a.batch_key)
  AND CASE WHEN n.status = 'parsed'
           THEN NOT EXISTS (
               SELECT 1 FROM article_event_coding AS c
               WHERE c.article_id = a.article_id AND c.text_hash = n.text_hash
                 AND c.nlp_version = n.nlp_version AND c.coder_version = $version)
           ELSE EXISTS (SELECT 1 FROM events AS e WHERE e.article_id = a.article_id)
      END
ORDER BY a.first_seen_at, a.article_id
LIMIT $limit;
