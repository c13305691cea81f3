-- Mentions whose offsets fall outside their article's text or do not spell their surface there.
SELECT count(*)
FROM entity_mentions_base AS m
LEFT JOIN articles_base AS a USING (article_id)
WHERE a.article_id IS NULL
   OR m.start_char < 0
   OR m.end_char <= m.start_char
   OR m.end_char > length(a.text)
   OR substring(a.text, m.start_char + 1, m.end_char - m.start_char) <> m.surface;
