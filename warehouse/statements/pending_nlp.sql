-- Articles of the given batches without a parse of their current text by the current pipeline (a
-- 'parsed' row without its docbin, as an earlier bug stored them, is no parse).
SELECT a.article_id, a.text_hash, a.language, a.text
FROM articles_base AS a
WHERE list_contains($batch_keys::VARCHAR[], a.batch_key)
  AND NOT EXISTS (
      SELECT 1 FROM article_nlp AS n
      WHERE n.article_id = a.article_id AND n.text_hash = a.text_hash AND n.nlp_version = $version
        AND (n.status <> 'parsed' OR n.docbin IS NOT NULL))
ORDER BY a.first_seen_at, a.article_id
LIMIT $limit;
