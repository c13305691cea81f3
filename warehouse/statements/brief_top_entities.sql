-- The $top entities named by the most distinct reports of recent_reports($days) (copies of a report do not
-- count again). Base tables only: through the views this reads every article's columns.
WITH named AS (
    SELECT DISTINCT m.article_id, l.entity_id
    FROM entity_mentions_base AS m
    JOIN entity_links AS l USING (entity_key, surface_key)
    WHERE m.article_id IN (SELECT article_id FROM recent_reports($days))
)
SELECT e.name, e.type, count(*) AS reports
FROM named
JOIN entities AS e USING (entity_id)
GROUP BY ALL
ORDER BY reports DESC, e.name
LIMIT $top;
