-- The mentions of the articles in `probe` (article_id) with their entity ids, in text order; for the event
-- coder (pipelines.core.nlp.entities.mentions_from_rows turns the rows into Mention objects). A join with
-- the probe, on the base tables: testing each mention against a list of a round's 2,000 ids took three
-- times as long.
SELECT m.article_id, l.entity_id, m.surface, m.label, m.start_char, m.end_char, m.sentence_idx, m.entity_type,
       m.entity_key, m.surface_key, m.country_code, m.source
FROM entity_mentions_base AS m
JOIN probe USING (article_id)
LEFT JOIN entity_links AS l USING (entity_key, surface_key)
ORDER BY m.article_id, m.start_char;
