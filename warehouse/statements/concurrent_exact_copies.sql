-- New articles whose text another article already has: two runs cleaned their batches at the same time (on the
-- lake), neither saw the other's article, and each made one. The later of them in arrival order (first seen,
-- then id) is a copy of the earliest: (article_id, original_id).
-- Only articles nothing has processed yet: never grouped (no signature) and never parsed (no article_nlp row;
-- the NLP stage writes one for every article it sees, parsed or skipped, and every later stage starts from
-- it). Sharing a text is not enough: an article edited into a copy of another keeps its own id, and is
-- grouped and parsed like any other. Nor is a missing signature: a new dedupe version drops every signature,
-- and a run killed before it signed them all again leaves grouped and parsed articles unsigned. An article
-- grouped by an earlier run was there for the cleaner of any later copy to find.
WITH never_processed AS (
    SELECT a.article_id, a.text_hash, a.first_seen_at
    FROM articles_base AS a
    WHERE NOT EXISTS (SELECT 1 FROM article_signatures AS s WHERE s.article_id = a.article_id)
      AND NOT EXISTS (SELECT 1 FROM article_nlp AS n WHERE n.article_id = a.article_id)
)
SELECT n.article_id, arg_min(o.article_id, (o.first_seen_at, o.article_id)) AS original_id
FROM never_processed AS n
JOIN articles_base AS o
  ON o.text_hash = n.text_hash AND (o.first_seen_at, o.article_id) < (n.first_seen_at, n.article_id)
GROUP BY n.article_id
ORDER BY n.article_id;
