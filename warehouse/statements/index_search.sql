-- (Re)index the articles listed in `probe`: replace their postings and lengths.
-- Terms come from unnest() in the select list, not a lateral join (FROM a, unnest(...)): DuckDB carried
-- each article's whole text along with every one of its terms there, so one 15,000-word article needed
-- over 488 MiB. Aggregated straight into postings, the work is bounded by the distinct terms of the chunk.
DELETE FROM search_postings WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM search_docs WHERE article_id IN (SELECT article_id FROM probe);
INSERT INTO search_postings
SELECT article_id, term, count(*)::INTEGER
FROM (
    SELECT a.article_id, unnest(search_tokens(search_text(a.title, a.standfirst, a.text))) AS term
    FROM articles_base AS a
    JOIN probe USING (article_id)
)
GROUP BY article_id, term;
INSERT INTO search_docs
SELECT a.article_id, a.text_hash, coalesce(n.length, 0)::INTEGER
FROM articles_base AS a
JOIN probe USING (article_id)
LEFT JOIN (
    SELECT article_id, sum(tf) AS length FROM search_postings WHERE article_id IN (SELECT article_id FROM probe)
    GROUP BY article_id
) AS n USING (article_id);
