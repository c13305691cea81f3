-- Articles of the given batches with a current parse (or skip) whose mentions are missing or were made
-- from another parse or by other entity rules (must be 0 after the entity_mentions stage).
SELECT count(*)
FROM article_nlp AS n
JOIN articles_base AS a USING (article_id)
LEFT JOIN article_entities AS e USING (article_id)
WHERE list_contains($batch_keys::VARCHAR[], a.batch_key)
  AND n.text_hash = a.text_hash
  AND (e.article_id IS NULL OR e.text_hash <> n.text_hash OR e.nlp_version <> n.nlp_version
       OR e.entity_version <> $version);
