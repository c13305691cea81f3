-- The entity each canonical key in `probe` (entity_key) is today (after cross-article linking and the
-- entity overrides), with what an event needs of it.
SELECT DISTINCT p.entity_key, l.entity_id, e.name, e.country_code, e.lat, e.lon
FROM probe AS p
JOIN entity_links AS l USING (entity_key)
JOIN entities AS e USING (entity_id);
