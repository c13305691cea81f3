-- Country pairs with the most conflict (verbal and material), actor country first.
SELECT actor, recipient, sum(events) AS conflict_events,
       string_agg(DISTINCT event_type, ', ' ORDER BY event_type) AS types, max(last_day) AS last_day
FROM actor_recipient_counts
WHERE level = 'country' AND quad_class IN ('verbal_conflict', 'material_conflict') AND actor_id <> recipient_id
GROUP BY ALL
ORDER BY conflict_events DESC, actor, recipient;
