-- Places named in the news that have no coordinates: candidates for the entity overrides file.
SELECT e.name, e.geo_status, count(DISTINCT m.article_id) AS reports, list(DISTINCT m.surface) AS written_as
FROM entities AS e
JOIN entity_mentions AS m USING (entity_id)
WHERE e.type = 'PLACE' AND e.lat IS NULL
GROUP BY ALL
ORDER BY reports DESC, e.name;
