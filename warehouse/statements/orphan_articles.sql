-- Articles none of whose documents their sources still hold (each document they were made from is withdrawn,
-- or no document maps to them any more), among those of the given batches and those a document of the given
-- batches maps to (an exact copy in another batch's file whose original's file is gone).
SELECT a.article_id
FROM articles_base AS a
WHERE (list_contains($batch_keys::VARCHAR[], a.batch_key)
       OR EXISTS (SELECT 1 FROM document_articles AS y
                  WHERE y.article_id = a.article_id AND list_contains($batch_keys::VARCHAR[], y.batch_key)))
  AND NOT EXISTS (
    SELECT 1 FROM document_articles AS x
    WHERE x.article_id = a.article_id
      AND NOT EXISTS (SELECT 1 FROM withdrawn_documents AS w WHERE w.document_id = x.document_id))
ORDER BY a.article_id;
