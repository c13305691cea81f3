-- The clustering inputs of the articles in `probe` (article_id), as pending_stories gives them, to rebuild a
-- story corrected by an analyst from its members.
SELECT a.article_id, a.batch_key, a.title, a.title_source, a.published_at, a.first_seen_at, n.text_hash, n.nlp_version
FROM articles_base AS a
JOIN article_nlp AS n USING (article_id)
JOIN probe USING (article_id)
ORDER BY coalesce(a.published_at, a.first_seen_at), a.article_id;
