-- 007: full-text search kept current incrementally. DuckDB's PRAGMA create_fts_index rebuilds the whole
-- index from scratch (minutes at 100k articles), so postings live in plain tables, updated per changed
-- article, with the fts extension's Porter stemmer; BM25 is computed at query time (macro search()).

CREATE TABLE search_postings (
    article_id VARCHAR NOT NULL,
    term       VARCHAR NOT NULL,
    tf         INTEGER NOT NULL
);
COMMENT ON TABLE search_postings IS 'Full-text index: how often each stemmed term occurs in each article (title, standfirst, text).';
COMMENT ON COLUMN search_postings.article_id IS 'The article.';
COMMENT ON COLUMN search_postings.term IS 'Porter-stemmed, lower-case, accent-folded word (search_tokens()).';
COMMENT ON COLUMN search_postings.tf IS 'Occurrences of the term in the article.';

CREATE TABLE search_docs (
    article_id VARCHAR PRIMARY KEY,
    text_hash  VARCHAR NOT NULL,
    length     INTEGER NOT NULL
);
COMMENT ON TABLE search_docs IS 'Articles in the full-text index, with the text version indexed and its length in terms.';
COMMENT ON COLUMN search_docs.article_id IS 'The article.';
COMMENT ON COLUMN search_docs.text_hash IS 'articles.text_hash when indexed: a different hash means the article is indexed again.';
COMMENT ON COLUMN search_docs.length IS 'Indexed terms in the article (BM25 length normalisation).';
