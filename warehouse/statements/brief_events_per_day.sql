-- Countable events of the recent reports (recent_events($days)), per day and type, on the $days most recent
-- days that have events. Bounded chart data, at a cost bounded by the window.
WITH daily AS (
    SELECT day, event_type, quad_class, count(*) AS events
    FROM recent_events($days)
    GROUP BY ALL
),
recent AS (SELECT DISTINCT day FROM daily ORDER BY day DESC LIMIT $days)
SELECT strftime(day, '%Y-%m-%d') AS day, event_type, quad_class, events
FROM daily
JOIN recent USING (day)
ORDER BY day, event_type;
