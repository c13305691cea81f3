-- The most-covered people, organisations and places: entities by the number of distinct reports naming them.
SELECT e.name, e.type, e.country_code, count(DISTINCT m.article_id) AS reports, count(*) AS mentions
FROM entity_mentions AS m
JOIN canonical_articles AS a USING (article_id)
JOIN entities AS e USING (entity_id)
GROUP BY ALL
ORDER BY reports DESC, mentions DESC, e.name
LIMIT 25;
