-- Events per day and quad class, most recent days first (how much conflict and cooperation, when).
SELECT day, quad_class, sum(events) AS events, sum(dated_events) AS dated_by_text, sum(reports) AS reports
FROM events_daily
GROUP BY ALL
ORDER BY day DESC, events DESC, quad_class;
