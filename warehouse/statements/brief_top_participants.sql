-- The $top actors and the $top recipients of recent_events($days), by linked entity, else as written
-- when the phrase names someone (event_actors.source = 'named', or an analyst's correction wrote it).
-- Generic phrases ("forces", "the two leaders" left unresolved) are sectors, not names, and are not
-- listed; events with no actor neither.
WITH counted AS (
    SELECT p.role,
           coalesce(e.name, CASE WHEN p.source IN ('named', 'correction') THEN p.text END) AS name,
           count(DISTINCT p.event_id) AS events
    FROM corrected_event_actors AS p
    JOIN recent_events($days) AS c USING (event_id)
    LEFT JOIN entities AS e ON e.entity_id = p.entity_id
    GROUP BY ALL
)
SELECT role, name, events
FROM counted
WHERE name IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY role ORDER BY events DESC, name) <= $top
ORDER BY role, events DESC, name;
