-- Countable events of the recent reports (recent_reports($days)), per day and type, on the $days most recent
-- days that have events (day as in countable_events). Bounded chart data, at a cost bounded by the window.
WITH daily AS (
    SELECT coalesce(e.event_date, CAST(r.article_time AS DATE)) AS day, e.event_type, e.quad_class, count(*) AS events
    FROM events AS e
    JOIN recent_reports($days) AS r USING (article_id)
    WHERE NOT e.negated AND NOT e.hypothetical
    GROUP BY ALL
),
recent AS (SELECT DISTINCT day FROM daily ORDER BY day DESC LIMIT $days)
SELECT strftime(day, '%Y-%m-%d') AS day, event_type, quad_class, events
FROM daily
JOIN recent USING (day)
ORDER BY day, event_type;
