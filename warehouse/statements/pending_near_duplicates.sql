-- Articles the near-duplicate stage has to (re)consider, in canonical order (earliest published first,
-- undated last, then first seen), so a backfill meets the original of a report before its copies:
--   new       never signed
--   changed   text edited since it was signed (or signed but never grouped)
--   redated   same text, but published_at changed: its group elects its canonical member again
-- Only ids and reasons: the texts are read chunk by chunk (near_duplicate_inputs).
SELECT a.article_id,
       CASE WHEN s.article_id IS NULL THEN 'new'
            WHEN d.article_id IS NULL OR s.signed_text_hash <> a.text_hash THEN 'changed'
            ELSE 'redated' END AS reason
FROM articles_base AS a
LEFT JOIN article_signatures AS s USING (article_id)
LEFT JOIN article_dups AS d USING (article_id)
WHERE s.article_id IS NULL
   OR d.article_id IS NULL
   OR s.signed_text_hash <> a.text_hash
   OR d.published_at_seen IS DISTINCT FROM a.published_at
ORDER BY a.published_at NULLS LAST, a.first_seen_at, a.article_id;
