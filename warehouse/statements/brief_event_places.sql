-- Geocoded events of recent_events($days) grouped by place, at most $top places (the
-- map's points).
SELECT coalesce(p.name, e.location) AS place, e.lat, e.lon, count(*) AS events,
       string_agg(DISTINCT e.event_type, ', ' ORDER BY e.event_type) AS types
FROM recent_events($days) AS e
LEFT JOIN entities AS p ON p.entity_id = e.location_entity_id
WHERE e.lat IS NOT NULL AND e.lon IS NOT NULL
GROUP BY ALL
ORDER BY events DESC, place
LIMIT $top;
