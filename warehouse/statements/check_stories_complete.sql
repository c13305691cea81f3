-- Parsed canonical articles of the given batches that are in no story (must be 0 after the stories stage).
SELECT count(*)
FROM articles_base AS a
JOIN article_nlp AS n USING (article_id)
LEFT JOIN article_dups AS d USING (article_id)
WHERE (d.dup_method IS NULL OR d.dup_method = 'canonical') AND list_contains($batch_keys::VARCHAR[], a.batch_key) AND n.status = 'parsed'
  AND NOT EXISTS (SELECT 1 FROM article_stories AS s WHERE s.article_id = a.article_id);
