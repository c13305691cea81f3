-- Every key in use across all articles, with its surfaces and stated countries: the input of the
-- cross-article linking (pipelines.core.nlp.entity_clusters.KeyUse).
SELECT entity_key, surface_key, surface, country_code, count(*) AS mentions
FROM entity_mentions_base
GROUP BY ALL
ORDER BY ALL;
