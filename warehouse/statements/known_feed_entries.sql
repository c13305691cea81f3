-- Entries in the relation `probe` (entry_key) that their feed listed before.
SELECT e.entry_key FROM feed_entries AS e WHERE e.entry_key IN (SELECT entry_key FROM probe);
