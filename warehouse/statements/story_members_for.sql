-- The members of the stories in `probe` (story_id), with what clustering reads of each (as pending_stories)
-- and the story's opening article, to rebuild the stories from them.
SELECT m.story_id, s.opening_article_id, a.article_id, a.batch_key, a.title, a.title_source, a.published_at,
       a.first_seen_at, n.text_hash, n.nlp_version
FROM article_stories AS m
JOIN probe USING (story_id)
JOIN stories AS s USING (story_id)
JOIN articles_base AS a USING (article_id)
JOIN article_nlp AS n USING (article_id)
ORDER BY m.story_id, a.article_id;
