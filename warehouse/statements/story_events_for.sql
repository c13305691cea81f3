-- Event-key counts of the stories in `probe`.
SELECT story_id, event_key, articles FROM story_events WHERE story_id IN (SELECT story_id FROM probe);
