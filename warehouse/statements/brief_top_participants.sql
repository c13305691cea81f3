-- The $top actors and the $top recipients of recent_events($days), by linked
-- entity (else as written).
WITH counted AS (
    SELECT p.role, coalesce(e.name, p.text) AS name, count(DISTINCT p.event_id) AS events
    FROM corrected_event_actors AS p
    JOIN recent_events($days) AS c USING (event_id)
    LEFT JOIN entities AS e ON e.entity_id = p.entity_id
    GROUP BY ALL
)
SELECT role, name, events
FROM counted
QUALIFY row_number() OVER (PARTITION BY role ORDER BY events DESC, name) <= $top
ORDER BY role, events DESC, name;
