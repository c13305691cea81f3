-- Stories in `probe` (story_id) left with no member.
DELETE FROM stories WHERE story_id IN (SELECT story_id FROM probe);
