-- The stored key → entity links, to write only what the linking changed.
SELECT entity_key, surface_key, entity_id, rule FROM entity_links;
