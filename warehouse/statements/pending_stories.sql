-- Parsed canonical articles (near-duplicate copies take their canonical member's story), of any batch, not
-- in a story yet, oldest first (the order they join in).
SELECT a.article_id, a.batch_key, a.title, a.title_source, a.published_at, a.first_seen_at, n.text_hash, n.nlp_version
FROM articles_base AS a
JOIN article_nlp AS n USING (article_id)
LEFT JOIN article_dups AS d USING (article_id)
WHERE (d.dup_method IS NULL OR d.dup_method = 'canonical')
  AND n.status = 'parsed'
  AND NOT EXISTS (SELECT 1 FROM article_stories AS s WHERE s.article_id = a.article_id)
ORDER BY coalesce(a.published_at, a.first_seen_at), a.article_id
LIMIT $limit;
