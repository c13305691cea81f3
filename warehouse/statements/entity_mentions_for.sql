-- Linked entity mentions of the articles in `probe`, with what the entity linker knows of each entity.
SELECT m.article_id, m.entity_id, m.start_char, m.end_char, e.name, e.type, e.country_code, e.lat, e.lon
FROM entity_mentions AS m
JOIN entities AS e USING (entity_id)
WHERE m.article_id IN (SELECT article_id FROM probe)
ORDER BY m.article_id, m.start_char;
