-- The near-duplicate group of each article in `probe` (article_id); articles not grouped are left out.
SELECT d.article_id, d.dup_group_id
FROM article_dups AS d
JOIN probe USING (article_id);
