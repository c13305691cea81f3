-- What the story clusterer reads of the events of the articles in `probe` (article_id): those that happened
-- (not negated or hypothetical, not dropped by a correction), with corrections applied.
SELECT e.article_id, e.event_type, e.actor_entity_id, e.recipient_entity_id, e.location_entity_id, e.event_date
FROM corrected_events AS e
JOIN probe USING (article_id)
WHERE NOT e.negated AND NOT e.hypothetical
ORDER BY e.article_id, e.event_id;
