-- Analyst-facing views, re-applied whenever this file changes (no migration needed).
-- Column comments not written here are inherited from the same column of the underlying table.

CREATE OR REPLACE VIEW articles AS
SELECT a.*, s.story_id
FROM articles_base AS a
LEFT JOIN article_stories AS s USING (article_id);
COMMENT ON VIEW articles IS 'One row per distinct article (exact duplicates collapsed): cleaned headline, text, date, language, and the story it belongs to. Start here.';

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
