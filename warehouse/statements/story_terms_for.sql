-- Centroid terms of the stories in `probe`.
SELECT story_id, term, weight FROM story_terms WHERE story_id IN (SELECT story_id FROM probe);
