-- Links of the key pairs in `probe`: pairs no mention uses any more (their articles changed). The stage
-- knows them from the keys it read, so this deletes them by key instead of searching every mention.
DELETE FROM entity_links AS l
USING probe AS p
WHERE l.entity_key = p.entity_key AND l.surface_key = p.surface_key;
