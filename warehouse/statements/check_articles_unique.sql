-- Number of article ids that occur more than once (must be 0).
SELECT count(*) FROM (SELECT article_id FROM articles_base GROUP BY article_id HAVING count(*) > 1);
