-- Stored articles sharing an LSH bucket with the articles in `probe` (article_id, band_key), with what
-- verification and grouping need: their signature, text hash and group. Answered through the ART indexes
-- on lsh_bands.band_key and the article id keys (see near_duplicate_session).
WITH hits AS (
    SELECT DISTINCT p.article_id AS probe_id, b.article_id
    FROM probe AS p
    JOIN lsh_bands AS b USING (band_key)
)
SELECT h.probe_id, h.article_id, s.signed_text_hash AS text_hash, s.minhash, d.dup_group_id
FROM hits AS h
JOIN article_signatures AS s USING (article_id)
JOIN article_dups AS d USING (article_id)
WHERE h.article_id <> h.probe_id;
