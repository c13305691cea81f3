-- Drop the stories in `probe` (story_id) that an analyst's correction emptied, with their profiles.
DELETE FROM story_terms WHERE story_id IN (SELECT story_id FROM probe);
DELETE FROM story_entities WHERE story_id IN (SELECT story_id FROM probe);
DELETE FROM story_events WHERE story_id IN (SELECT story_id FROM probe);
DELETE FROM stories WHERE story_id IN (SELECT story_id FROM probe);
