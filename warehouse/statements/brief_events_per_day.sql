-- Events per day and type over the $days most recent days that have events (bounded chart data).
WITH recent AS (SELECT DISTINCT day FROM events_daily ORDER BY day DESC LIMIT $days)
SELECT strftime(day, '%Y-%m-%d') AS day, event_type, quad_class, sum(events) AS events
FROM events_daily
JOIN recent USING (day)
GROUP BY ALL
ORDER BY day, event_type;
