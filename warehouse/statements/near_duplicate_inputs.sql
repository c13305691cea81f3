-- What grouping needs of the articles in the relation `probe` (article_id): text, hash, dates, and the
-- group they are in now (NULL when new).
SELECT a.article_id, a.text, a.text_hash, a.published_at, a.first_seen_at, d.dup_group_id AS previous_group_id
FROM articles_base AS a
JOIN probe USING (article_id)
LEFT JOIN article_dups AS d USING (article_id);
