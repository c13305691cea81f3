-- Stories that lost members (withdrawn or edited articles): their article_count no longer matches.
SELECT s.story_id, s.opening_article_id
FROM stories AS s
LEFT JOIN (SELECT story_id, count(*) AS n FROM article_stories GROUP BY story_id) AS m USING (story_id)
WHERE s.article_count <> coalesce(m.n, 0)
ORDER BY s.story_id;
