-- The $top entities named by the most distinct reports.
SELECT e.name, e.type, count(DISTINCT m.article_id) AS reports
FROM entity_mentions AS m
JOIN canonical_articles AS a USING (article_id)
JOIN entities AS e USING (entity_id)
GROUP BY ALL
ORDER BY reports DESC, e.name
LIMIT $top;
