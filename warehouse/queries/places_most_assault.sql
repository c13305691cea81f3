-- Places with the most ASSAULT events (attacks, strikes, clashes), with coordinates for a map.
SELECT coalesce(p.name, e.location) AS place, p.country_code, p.lat, p.lon, count(*) AS assaults,
       count(DISTINCT e.article_id) AS reports
FROM countable_events AS e
LEFT JOIN entities AS p ON p.entity_id = e.location_entity_id
WHERE e.event_type = 'ASSAULT' AND e.location IS NOT NULL
GROUP BY ALL
ORDER BY assaults DESC, place;
