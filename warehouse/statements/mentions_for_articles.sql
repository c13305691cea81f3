-- The mentions of the given articles with their entity ids, in text order; for the event coder
-- (pipelines.core.nlp.entities.mentions_from_rows turns the rows into Mention objects).
SELECT article_id, entity_id, surface, label, start_char, end_char, sentence_idx, entity_type, entity_key,
       surface_key, country_code, source
FROM entity_mentions
WHERE list_contains($article_ids::VARCHAR[], article_id)
ORDER BY article_id, start_char;
