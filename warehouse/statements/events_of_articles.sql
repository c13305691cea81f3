-- The coded events of the articles in `probe` (article_id), for matching event corrections.
SELECT e.event_id, e.article_id, e.trigger, e.trigger_char, e.event_type
FROM events AS e
JOIN probe USING (article_id)
ORDER BY e.article_id, e.trigger_char, e.event_type;
