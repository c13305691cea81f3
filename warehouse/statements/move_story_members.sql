-- Put the articles in `probe` (article_id) into story $story_id, as correction $correction_id says.
UPDATE article_stories SET story_id = $story_id, corrected_by = $correction_id
WHERE article_id IN (SELECT article_id FROM probe) AND story_id <> $story_id;
