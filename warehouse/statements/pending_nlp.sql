-- Articles of the given batches whose stored NLP state is not what it should be now (a copy promoted to
-- canonical by another batch's run is parsed at the next run of its own batch):
--   parsed   an English article that is its near-duplicate group's canonical member (or not grouped yet),
--            parsed from its current text by the current pipeline;
--   skipped  anything else: another language, or a copy of a report already parsed as its canonical member.
-- A copy that was parsed while it was canonical keeps its parse: counts go through canonical articles.
WITH wanted AS (
    SELECT a.article_id, a.text_hash, a.language, a.first_seen_at, d.canonical_article_id,
           CASE WHEN a.language <> 'en' THEN 'language'
                WHEN d.dup_method IS NOT NULL AND d.dup_method <> 'canonical' THEN 'copy'
           END AS skip
    FROM articles_base AS a
    LEFT JOIN article_dups AS d USING (article_id)
    WHERE list_contains($batch_keys::VARCHAR[], a.batch_key)
)
SELECT w.article_id, w.text_hash, w.language, w.skip, w.canonical_article_id
FROM wanted AS w
WHERE NOT EXISTS (
    SELECT 1 FROM article_nlp AS n
    WHERE n.article_id = w.article_id AND n.text_hash = w.text_hash AND n.nlp_version = $version
      AND (n.status = 'parsed' OR (n.status = 'skipped' AND w.skip IS NOT NULL)))
ORDER BY w.first_seen_at, w.article_id
LIMIT $limit;
