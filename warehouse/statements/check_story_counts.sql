-- Stories whose article_count disagrees with their members, plus members of no story (must be 0).
SELECT (
    SELECT count(*) FROM stories AS s
    WHERE s.article_count <> (SELECT count(*) FROM article_stories AS m WHERE m.story_id = s.story_id)
) + (
    SELECT count(*) FROM article_stories AS m
    WHERE NOT EXISTS (SELECT 1 FROM stories AS s WHERE s.story_id = m.story_id)
);
