-- The story of each article in `probe` (article_id), and every member of those stories.
SELECT s.article_id, s.story_id
FROM article_stories AS s
WHERE s.story_id IN (SELECT m.story_id FROM article_stories AS m JOIN probe USING (article_id));
