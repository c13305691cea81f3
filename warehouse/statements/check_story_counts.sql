-- Stories with an article of the given batches whose article_count disagrees with their members, plus
-- members (of those batches) of no story: must be 0.
WITH touched AS (
    SELECT DISTINCT story_id FROM article_stories WHERE list_contains($batch_keys::VARCHAR[], batch_key)
)
SELECT (
    SELECT count(*) FROM stories AS s JOIN touched USING (story_id)
    WHERE s.article_count <> (SELECT count(*) FROM article_stories AS m WHERE m.story_id = s.story_id)
) + (
    SELECT count(*) FROM touched AS t
    WHERE NOT EXISTS (SELECT 1 FROM stories AS s WHERE s.story_id = t.story_id)
);
