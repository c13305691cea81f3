-- Analyst-facing views, re-applied whenever this file changes (no migration needed).
-- Column comments not written here are inherited from the same column of the underlying table.

CREATE OR REPLACE VIEW articles AS
SELECT a.*,
       d.dup_group_id,
       d.canonical_article_id,
       d.similarity_to_canonical,
       d.dup_method,
       coalesce(s.story_id, c.story_id) AS story_id
FROM articles_base AS a
LEFT JOIN article_dups AS d USING (article_id)
LEFT JOIN article_stories AS s ON s.article_id = a.article_id
LEFT JOIN article_stories AS c ON c.article_id = d.canonical_article_id;
COMMENT ON VIEW articles IS 'One row per distinct article (exact duplicates collapsed): cleaned headline, text, date, language, its near-duplicate group and its story. Start here.';
COMMENT ON COLUMN articles.story_id IS 'The story (stories.story_id) the article reports; a near-duplicate copy has its canonical member''s story. NULL until clustered (non-English articles are not).';

CREATE OR REPLACE VIEW canonical_articles AS
SELECT a.*, coalesce(g.size, 1) AS dup_group_size
FROM articles AS a
LEFT JOIN dup_groups AS g USING (dup_group_id)
WHERE a.dup_method IS NULL OR a.dup_method = 'canonical';
COMMENT ON VIEW canonical_articles IS 'One row per distinct report: the canonical member of each near-duplicate group (articles not grouped yet count as their own). Count these for "how many reports".';
COMMENT ON COLUMN canonical_articles.dup_group_size IS 'How many articles carry this report (the group size; 1 when it has no copy).';

CREATE OR REPLACE VIEW entity_mentions AS
SELECT m.article_id, l.entity_id, m.surface, m.label, m.start_char, m.end_char, m.sentence_idx, m.entity_type,
       m.country_code, m.source, m.entity_key, m.surface_key
FROM entity_mentions_base AS m
LEFT JOIN entity_links AS l USING (entity_key, surface_key);
COMMENT ON VIEW entity_mentions IS 'One row per mention of an entity in an article (join entities on entity_id). Count mentions per entity, entities per article, co-occurrence within a sentence.';
COMMENT ON COLUMN entity_mentions.entity_id IS 'The entity (entities.entity_id) the mention refers to, after the cross-article rules and overrides.';

CREATE OR REPLACE VIEW story_articles AS
SELECT
    s.story_id,
    s.title AS story_title,
    row_number() OVER (
        PARTITION BY s.story_id ORDER BY coalesce(a.published_at, a.first_seen_at), a.article_id
    ) AS position,
    a.article_id,
    a.title,
    a.published_at,
    a.first_seen_at,
    m.similarity,
    m.opened_story
FROM stories AS s
JOIN article_stories AS m USING (story_id)
JOIN articles_base AS a USING (article_id);
COMMENT ON VIEW story_articles IS 'Each story''s articles in time order (stated publication time, else when the pipeline first saw them).';
COMMENT ON COLUMN story_articles.story_title IS 'The story''s representative title (stories.title).';
COMMENT ON COLUMN story_articles.position IS 'Place of the article in its story''s timeline, from 1.';

-- Full-text search (tables: migration 007). Indexing and queries split words the same way.
CREATE OR REPLACE MACRO search_tokens(input) AS
list_transform(
    list_filter(string_split_regex(lower(strip_accents(coalesce(input, ''))), '[^a-z0-9]+'),
                w -> length(w) > 1 AND NOT list_contains([
    'a', 'about', 'above', 'after', 'again', 'against', 'all', 'am', 'an', 'and', 'any', 'are', 'as', 'at',
    'be', 'because', 'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by', 'can', 'could',
    'did', 'do', 'does', 'doing', 'down', 'during', 'each', 'few', 'for', 'from', 'further', 'had', 'has',
    'have', 'having', 'he', 'her', 'here', 'hers', 'herself', 'him', 'himself', 'his', 'how', 'i', 'if',
    'in', 'into', 'is', 'it', 'its', 'itself', 'just', 'me', 'more', 'most', 'my', 'myself', 'no', 'nor',
    'not', 'now', 'of', 'off', 'on', 'once', 'only', 'or', 'other', 'our', 'ours', 'ourselves', 'out',
    'over', 'own', 'same', 'she', 'should', 'so', 'some', 'such', 'than', 'that', 'the', 'their', 'theirs',
    'them', 'themselves', 'then', 'there', 'these', 'they', 'this', 'those', 'through', 'to', 'too',
    'under', 'until', 'up', 'very', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'while', 'who',
    'whom', 'why', 'will', 'with', 'would', 'you', 'your', 'yours', 'yourself', 'yourselves', 'said', 'also'
                ], w)),
    w -> stem(w, 'porter'));
COMMENT ON MACRO search_tokens IS 'The terms full-text search sees in a text: lower case, accents folded, common English words dropped, Porter stems.';

CREATE OR REPLACE MACRO search(query) AS TABLE
WITH q AS (SELECT DISTINCT unnest(search_tokens(query)) AS term),
     stats AS (SELECT count(*) AS n, avg(length) AS avgdl FROM search_docs),
     hits AS (SELECT p.article_id, p.term, p.tf FROM search_postings AS p JOIN q USING (term)),
     df AS (SELECT term, count(*) AS df FROM hits GROUP BY term),
     scored AS (
         SELECT h.article_id,
                sum(ln(1 + (s.n - df.df + 0.5) / (df.df + 0.5))
                    * h.tf * 2.2 / (h.tf + 1.2 * (0.25 + 0.75 * d.length / s.avgdl))) AS score,
                count(*) AS matched_terms
         FROM hits AS h JOIN df USING (term) JOIN search_docs AS d USING (article_id), stats AS s
         GROUP BY h.article_id)
SELECT a.article_id, a.title, a.published_at, round(sc.score, 4) AS score, sc.matched_terms, a.document_id
FROM scored AS sc
JOIN articles AS a USING (article_id)
ORDER BY sc.score DESC, a.article_id;
COMMENT ON MACRO TABLE search IS 'Full-text search over articles (title, standfirst, text), BM25-ranked, best first: SELECT * FROM search(''military police''). Add WHERE text ILIKE ''%exact phrase%'' for a phrase.';
