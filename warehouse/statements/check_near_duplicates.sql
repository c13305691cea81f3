-- Violations of "every article belongs to exactly one near-duplicate group" (must be 0): articles of the
-- given batches without a group row (other batches may be mid-run in another process), group rows of unknown articles or groups, groups whose size or canonical member
-- disagrees with their members, members that call themselves canonical and are not (or the reverse).
SELECT
    (SELECT count(*) FROM articles_base AS a
     WHERE list_contains($batch_keys::VARCHAR[], a.batch_key)
       AND NOT EXISTS (SELECT 1 FROM article_dups AS d WHERE d.article_id = a.article_id))
  + (SELECT count(*) FROM article_dups AS d
     WHERE NOT EXISTS (SELECT 1 FROM articles_base AS a WHERE a.article_id = d.article_id)
        OR NOT EXISTS (SELECT 1 FROM dup_groups AS g WHERE g.dup_group_id = d.dup_group_id))
  + (SELECT count(*) FROM dup_groups AS g
     WHERE g.size <> (SELECT count(*) FROM article_dups AS d WHERE d.dup_group_id = g.dup_group_id)
        OR NOT EXISTS (SELECT 1 FROM article_dups AS d
                       WHERE d.article_id = g.canonical_article_id AND d.dup_group_id = g.dup_group_id
                         AND d.dup_method = 'canonical'))
  + (SELECT count(*) FROM article_dups AS d
     WHERE (d.dup_method = 'canonical') <> (d.article_id = d.canonical_article_id));
