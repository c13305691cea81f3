-- Articles not in the full-text index, or indexed from an older text, with the length of what is indexed.
SELECT a.article_id, length(search_text(a.title, a.standfirst, a.text)) AS chars
FROM articles_base AS a
LEFT JOIN search_docs AS s USING (article_id)
WHERE s.article_id IS NULL OR s.text_hash <> a.text_hash
ORDER BY a.article_id
LIMIT $limit;
