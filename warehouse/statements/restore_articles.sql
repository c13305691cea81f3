-- The articles in `probe` (article_id) were just written: any that had been withdrawn is back, and keeps
-- the time the pipeline first saw it (which decides, among others, which of two copies is the original).
UPDATE articles_base AS a
SET first_seen_at = w.first_seen_at
FROM withdrawn_articles AS w
WHERE w.article_id = a.article_id AND a.article_id IN (SELECT article_id FROM probe) AND w.first_seen_at IS NOT NULL;
DELETE FROM withdrawn_articles WHERE article_id IN (SELECT article_id FROM probe);
