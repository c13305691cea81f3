-- Who threatened whom in the last 30 days, and how often.
SELECT coalesce(actor_name, actor) AS actor, actor_country_code,
       coalesce(recipient_name, recipient) AS recipient, recipient_country_code,
       count(DISTINCT event_id) AS threats, max(day) AS last_day
FROM event_dyads
WHERE event_type = 'THREATEN' AND day >= current_date - INTERVAL 30 DAY
GROUP BY ALL
ORDER BY threats DESC, last_day DESC, actor;
