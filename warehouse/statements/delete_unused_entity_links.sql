-- Links of key pairs no mention uses any more (their articles changed).
DELETE FROM entity_links AS l
WHERE NOT EXISTS (
    SELECT 1 FROM entity_mentions_base AS m WHERE m.entity_key = l.entity_key AND m.surface_key = l.surface_key);
