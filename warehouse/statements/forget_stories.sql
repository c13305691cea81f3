-- Drop the stories in `probe` (story_id) with their profiles: they are written again from their members,
-- or were left with none.
DELETE FROM story_terms WHERE story_id IN (SELECT story_id FROM probe);
DELETE FROM story_entities WHERE story_id IN (SELECT story_id FROM probe);
DELETE FROM story_events WHERE story_id IN (SELECT story_id FROM probe);
DELETE FROM stories WHERE story_id IN (SELECT story_id FROM probe);
