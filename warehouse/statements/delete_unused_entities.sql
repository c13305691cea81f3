-- Entities no link points to any more.
DELETE FROM entities AS e
WHERE NOT EXISTS (SELECT 1 FROM entity_links AS l WHERE l.entity_id = e.entity_id);
