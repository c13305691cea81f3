-- Country pairs with the most conflict (verbal and material), actor country first.
SELECT actor_country, recipient_country, sum(events) AS conflict_events,
       string_agg(DISTINCT event_type, ', ' ORDER BY event_type) AS types, max(last_day) AS last_day
FROM actor_recipient_countries
WHERE quad_class IN ('verbal_conflict', 'material_conflict') AND actor_country_code <> recipient_country_code
GROUP BY ALL
ORDER BY conflict_events DESC, actor_country, recipient_country;
