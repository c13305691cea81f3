-- Countable events of the recent reports (recent_events($days)), per day and type, on the $days most recent
-- days that have events; events whose day is only the day the pipeline took their report in (the report
-- states no date: day_source first_seen_at) have no day (NULL), to be shown apart. Bounded chart data, at a
-- cost bounded by the window.
WITH daily AS (
    SELECT CASE WHEN day_source <> 'first_seen_at' THEN day END AS day, event_type, quad_class, count(*) AS events
    FROM recent_events($days)
    GROUP BY ALL
),
recent AS (SELECT DISTINCT day FROM daily WHERE day IS NOT NULL ORDER BY day DESC LIMIT $days)
SELECT strftime(day, '%Y-%m-%d') AS day, event_type, quad_class, events
FROM daily
WHERE day IS NULL OR day IN (SELECT day FROM recent)
ORDER BY day NULLS LAST, event_type;
