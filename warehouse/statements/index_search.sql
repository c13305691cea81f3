-- (Re)index the articles listed in `probe`: replace their postings and lengths.
DELETE FROM search_postings WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM search_docs WHERE article_id IN (SELECT article_id FROM probe);
CREATE OR REPLACE TEMP TABLE _search_terms AS
SELECT a.article_id, a.text_hash, t.term
FROM articles_base AS a
JOIN probe USING (article_id),
     unnest(search_tokens(concat_ws(' ', a.title, a.standfirst, a.text))) AS t(term);
INSERT INTO search_postings
SELECT article_id, term, count(*)::INTEGER FROM _search_terms GROUP BY article_id, term;
INSERT INTO search_docs
SELECT a.article_id, a.text_hash, coalesce(n.length, 0)::INTEGER
FROM articles_base AS a
JOIN probe USING (article_id)
LEFT JOIN (SELECT article_id, count(*) AS length FROM _search_terms GROUP BY article_id) AS n USING (article_id);
DROP TABLE _search_terms;
