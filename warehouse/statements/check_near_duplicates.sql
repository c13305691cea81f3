-- Violations of "every article belongs to exactly one near-duplicate group" (must be none), one row each,
-- for the articles of the given batches and the groups they are in (other batches may be mid-run in
-- another process, and a check over every group would grow with the warehouse): articles without a group
-- row, group rows of unknown articles or groups, groups whose size or canonical member disagrees with their
-- members, members that call themselves canonical and are not (or the reverse). Rows, not a count, so that
-- a failed check can say which articles and groups are wrong.
WITH batch AS (
    SELECT article_id FROM articles_base WHERE list_contains($batch_keys::VARCHAR[], batch_key)
),
groups AS (
    SELECT DISTINCT d.dup_group_id FROM article_dups AS d JOIN batch USING (article_id)
),
members AS (
    SELECT d.* FROM article_dups AS d JOIN groups USING (dup_group_id)
)
SELECT 'article in no group' AS problem, b.article_id, NULL::VARCHAR AS dup_group_id
FROM batch AS b
WHERE NOT EXISTS (SELECT 1 FROM article_dups AS d WHERE d.article_id = b.article_id)
UNION ALL
SELECT 'member row of an unknown article or group', d.article_id, d.dup_group_id
FROM members AS d
WHERE NOT EXISTS (SELECT 1 FROM articles_base AS a WHERE a.article_id = d.article_id)
   OR NOT EXISTS (SELECT 1 FROM dup_groups AS g WHERE g.dup_group_id = d.dup_group_id)
UNION ALL
SELECT 'group size or canonical member disagrees with its members', g.canonical_article_id, g.dup_group_id
FROM dup_groups AS g JOIN groups USING (dup_group_id)
WHERE g.size <> (SELECT count(*) FROM members AS d WHERE d.dup_group_id = g.dup_group_id)
   OR NOT EXISTS (SELECT 1 FROM members AS d
                  WHERE d.article_id = g.canonical_article_id AND d.dup_group_id = g.dup_group_id
                    AND d.dup_method = 'canonical')
UNION ALL
SELECT 'member marked canonical wrongly', d.article_id, d.dup_group_id
FROM members AS d
WHERE (d.dup_method = 'canonical') <> (d.article_id = d.canonical_article_id)
ORDER BY problem, article_id;
