-- Events of the given batches whose type is not one of the PLOVER types, whose quad class does not match
-- it, or whose actor rows disagree with actor_source (an actor row unless the source is 'none', none
-- otherwise): must be 0.
SELECT count(*)
FROM events AS e
WHERE list_contains($batch_keys::VARCHAR[], e.batch_key)
  AND (NOT list_contains($types::VARCHAR[], e.event_type || ':' || e.quad_class)
       OR (e.actor_source = 'none') = EXISTS (
           SELECT 1 FROM event_actors AS a WHERE a.event_id = e.event_id AND a.role = 'actor'));
