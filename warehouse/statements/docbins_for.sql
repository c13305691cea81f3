-- Stored parses of the articles in `probe` (fetched only for articles whose parse is not in memory).
SELECT n.article_id, n.docbin
FROM article_nlp AS n
JOIN probe USING (article_id);
