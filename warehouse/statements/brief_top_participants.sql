-- The $top actors and the $top recipients of the countable events of recent_reports($days), by linked
-- entity (else as written).
WITH counted AS (
    SELECT p.role, coalesce(e.name, p.text) AS name, count(DISTINCT p.event_id) AS events
    FROM event_actors AS p
    JOIN events AS c USING (event_id)
    LEFT JOIN entities AS e ON e.entity_id = p.entity_id
    WHERE c.article_id IN (SELECT article_id FROM recent_reports($days)) AND NOT c.negated AND NOT c.hypothetical
    GROUP BY ALL
)
SELECT role, name, events
FROM counted
QUALIFY row_number() OVER (PARTITION BY role ORDER BY events DESC, name) <= $top
ORDER BY role, events DESC, name;
