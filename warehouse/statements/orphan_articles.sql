-- Articles none of whose documents their sources still hold: each document they were made from is
-- withdrawn (or no document maps to them any more).
SELECT a.article_id
FROM articles_base AS a
WHERE NOT EXISTS (
    SELECT 1 FROM document_articles AS x
    WHERE x.article_id = a.article_id
      AND NOT EXISTS (SELECT 1 FROM withdrawn_documents AS w WHERE w.document_id = x.document_id))
ORDER BY a.article_id;
