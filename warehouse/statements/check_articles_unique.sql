-- Article ids that occur more than once (must be none), one row each with how often, so that a failed
-- check can say which.
SELECT article_id, count(*) AS copies FROM articles_base GROUP BY article_id HAVING count(*) > 1 ORDER BY article_id;
