-- Members of the groups in `probe` (dup_group_id) with their signature, dates and current standing, and
-- their group's stored row, so the stage can elect each group's canonical member again and rewrite only
-- the rows that change.
SELECT d.article_id, d.dup_group_id, d.canonical_article_id, d.similarity_to_canonical, d.dup_method,
       d.matched_article_id, d.matched_similarity, d.published_at_seen, d.corrected_by,
       s.signed_text_hash AS text_hash, s.minhash, a.published_at, a.first_seen_at,
       g.canonical_article_id AS group_canonical_article_id, g.size AS group_size,
       g.founder_article_id, g.created_at AS group_created_at
FROM article_dups AS d
JOIN probe USING (dup_group_id)
JOIN article_signatures AS s USING (article_id)
JOIN articles_base AS a USING (article_id)
JOIN dup_groups AS g USING (dup_group_id)
ORDER BY d.dup_group_id, d.article_id;
