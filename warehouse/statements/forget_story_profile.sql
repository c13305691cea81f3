-- Drop the centroid, entity and event counts of the stories in `probe` before writing their updated ones.
DELETE FROM story_terms WHERE story_id IN (SELECT story_id FROM probe);
DELETE FROM story_entities WHERE story_id IN (SELECT story_id FROM probe);
DELETE FROM story_events WHERE story_id IN (SELECT story_id FROM probe);
