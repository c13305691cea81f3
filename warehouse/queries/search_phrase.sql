-- Full-text search for a phrase, ranked: BM25 over the words, then only articles holding the exact phrase.
SELECT s.score, s.title, s.published_at, a.story_id,
       substring(a.text, greatest(1, strpos(lower(a.text), 'military police') - 80), 200) AS context
FROM search('military police') AS s
JOIN articles AS a USING (article_id)
WHERE lower(a.title || ' ' || a.text) LIKE '%military police%'
ORDER BY s.score DESC;
