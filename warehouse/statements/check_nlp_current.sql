-- Articles of the given batches whose stored parse is missing or stale for their current text
-- (must be 0 after the nlp stage ran for those batches).
SELECT count(*)
FROM articles_base AS a
LEFT JOIN article_nlp AS n USING (article_id)
WHERE list_contains($batch_keys::VARCHAR[], a.batch_key)
  AND (n.article_id IS NULL OR n.text_hash <> a.text_hash OR n.nlp_version <> $version);
