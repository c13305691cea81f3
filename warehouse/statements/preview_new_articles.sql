-- A few of the articles a run wrote, for the Dagster materialization preview.
SELECT a.title, a.published_at, a.language, a.word_count, d.uri
FROM articles_base AS a
JOIN documents AS d USING (document_id)
WHERE a.article_id IN (SELECT article_id FROM probe)
ORDER BY a.published_at NULLS LAST, a.title
LIMIT 10;
