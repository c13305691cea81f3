-- New articles whose text another article already has: two runs cleaned their batches at the same time (on the
-- lake), neither saw the other's article, and each made one. The later of them in arrival order (first seen,
-- then id) is a copy of the earliest: (article_id, original_id). Only articles never grouped: an article
-- grouped by an earlier run was there for the cleaner of any later copy to find.
WITH never_grouped AS (
    SELECT a.article_id, a.text_hash, a.first_seen_at
    FROM articles_base AS a
    WHERE NOT EXISTS (SELECT 1 FROM article_signatures AS s WHERE s.article_id = a.article_id)
)
SELECT n.article_id, arg_min(o.article_id, (o.first_seen_at, o.article_id)) AS original_id
FROM never_grouped AS n
JOIN articles_base AS o
  ON o.text_hash = n.text_hash AND (o.first_seen_at, o.article_id) < (n.first_seen_at, n.article_id)
GROUP BY n.article_id
ORDER BY n.article_id;
