-- Mentions that do not point to an entity (no link for their keys, or a link to a missing entity).
SELECT count(*)
FROM entity_mentions_base AS m
LEFT JOIN entity_links AS l USING (entity_key, surface_key)
LEFT JOIN entities AS e ON e.entity_id = l.entity_id
WHERE e.entity_id IS NULL;
