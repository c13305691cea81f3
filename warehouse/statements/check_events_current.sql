-- Parsed articles of the given batches not coded from their current parse by the current coder
-- (must be 0 after the events stage ran for those batches).
SELECT count(*)
FROM articles_base AS a
JOIN article_nlp AS n USING (article_id)
LEFT JOIN article_event_coding AS c USING (article_id)
WHERE list_contains($batch_keys::VARCHAR[], a.batch_key) AND n.status = 'parsed'
  AND (c.article_id IS NULL OR c.text_hash <> a.text_hash OR c.nlp_version <> n.nlp_version
       OR c.coder_version <> $version);
