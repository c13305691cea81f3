-- Articles whose stored parse is missing or stale for their current text (must be 0 after the nlp stage).
SELECT count(*)
FROM articles_base AS a
LEFT JOIN article_nlp AS n USING (article_id)
WHERE n.article_id IS NULL OR n.text_hash <> a.text_hash OR n.nlp_version <> $version
   OR (n.status = 'parsed' AND n.docbin IS NULL);
