-- Mentions written since $since for articles of the given batches whose offsets fall outside the article's
-- text or do not spell their surface there. Only what the step wrote is read: older mentions were checked
-- when they were written, and reading every text of the batches would grow with the warehouse (another
-- process may be re-cleaning other batches' articles right now, hence the batches).
SELECT count(*)
FROM entity_mentions_base AS m
JOIN articles_base AS a USING (article_id)
JOIN article_entities AS e USING (article_id)
WHERE list_contains($batch_keys::VARCHAR[], a.batch_key)
  AND e.processed_at >= $since
  AND (m.start_char < 0
       OR m.end_char <= m.start_char
       OR m.end_char > length(a.text)
       OR substring(a.text, m.start_char + 1, m.end_char - m.start_char) <> m.surface);
