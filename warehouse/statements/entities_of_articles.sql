-- The entity ids each article in `probe` (article_id) mentions, for the story clusterer: it compares
-- articles by these alone, and building every mention of a round as an object only to take its entity id
-- cost it 0.6 s per 2,058 articles (this query: 0.05 s).
SELECT m.article_id, list(DISTINCT l.entity_id) AS entity_ids
FROM entity_mentions_base AS m
JOIN probe USING (article_id)
JOIN entity_links AS l USING (entity_key, surface_key)
WHERE l.entity_id IS NOT NULL
GROUP BY m.article_id;
