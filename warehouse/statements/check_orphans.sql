-- Rows pointing at something that does not exist, per relation (every count must be 0).
SELECT 'document_articles.document_id' AS relation, count(*) AS orphans
FROM document_articles AS x WHERE NOT EXISTS (SELECT 1 FROM documents AS d WHERE d.document_id = x.document_id)
UNION ALL
SELECT 'document_articles.article_id', count(*)
FROM document_articles AS x WHERE NOT EXISTS (SELECT 1 FROM articles_base AS a WHERE a.article_id = x.article_id)
UNION ALL
SELECT 'articles_base.document_id', count(*)
FROM articles_base AS a WHERE NOT EXISTS (SELECT 1 FROM documents AS d WHERE d.document_id = a.document_id)
UNION ALL
SELECT 'rejects.document_id', count(*)
FROM rejects AS r WHERE NOT EXISTS (SELECT 1 FROM documents AS d WHERE d.document_id = r.document_id)
UNION ALL
SELECT 'article_nlp.article_id', count(*)
FROM article_nlp AS n WHERE NOT EXISTS (SELECT 1 FROM articles_base AS a WHERE a.article_id = n.article_id);
