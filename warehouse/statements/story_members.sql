-- The members of the stories in `probe` (story_id).
SELECT article_id, story_id FROM article_stories WHERE story_id IN (SELECT story_id FROM probe);
