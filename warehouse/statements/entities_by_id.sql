-- What the entity stage knows of the entities in `probe` (entity_id): for event participants and places.
SELECT entity_id, name, type, country_code, lat, lon
FROM entities
WHERE entity_id IN (SELECT entity_id FROM probe);
