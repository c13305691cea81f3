-- Drop the events of the articles in `probe` before writing their new coding (a re-coded article may
-- have fewer, more or different events).
DELETE FROM event_actors WHERE event_id IN (SELECT event_id FROM events WHERE article_id IN (SELECT article_id FROM probe));
DELETE FROM events WHERE article_id IN (SELECT article_id FROM probe);
