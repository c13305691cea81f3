-- Entity counts of the stories in `probe`.
SELECT story_id, entity_key, articles FROM story_entities WHERE story_id IN (SELECT story_id FROM probe);
