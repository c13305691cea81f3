-- Articles sharing an id or a text hash with the candidates in the relation `probe`.
SELECT a.article_id, a.text_hash, a.first_seen_at
FROM articles_base AS a
WHERE a.article_id IN (SELECT article_id FROM probe)
   OR a.text_hash IN (SELECT text_hash FROM probe);
