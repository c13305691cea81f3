-- Full-text index over headline, standfirst and body (DuckDB fts extension, Porter stemmer, accents folded),
-- and the one-line entry point for analysts: SELECT * FROM search('military police').
PRAGMA create_fts_index('articles_base', 'article_id', 'title', 'standfirst', 'text',
                        stemmer = 'porter', stopwords = 'english', strip_accents = 1, lower = 1, overwrite = 1);

CREATE OR REPLACE MACRO search(query) AS TABLE
SELECT a.article_id, a.title, a.published_at, round(s.score, 4) AS score, a.document_id
FROM (
    SELECT article_id, fts_main_articles_base.match_bm25(article_id, query) AS score
    FROM articles_base
) AS s
JOIN articles AS a USING (article_id)
WHERE s.score IS NOT NULL
ORDER BY s.score DESC, a.article_id;
COMMENT ON MACRO TABLE search IS 'Full-text search over articles (title, standfirst, text), best match first: SELECT * FROM search(''military police'').';
