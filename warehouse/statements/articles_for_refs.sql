-- The article each reference in `probe` (ref) names: its article id, URL, canonical URL, or the document it
-- came from (documents.uri, or its end after a '/': a seed file named "seeds/002_….txt" is found wherever the
-- folder lives). A near-duplicate copy stands for its report's canonical member (article_id), which carries
-- the report's events and story; own_article_id is the article itself (what a near-duplicate split moves).
SELECT DISTINCT p.ref, coalesce(d.canonical_article_id, a.article_id) AS article_id, c.text,
       a.article_id AS own_article_id
FROM probe AS p
JOIN articles_base AS a
  ON p.ref IN (a.article_id, a.url, a.canonical_url)
  OR EXISTS (SELECT 1 FROM documents AS doc
             WHERE doc.document_id = a.document_id AND (doc.uri = p.ref OR ends_with(doc.uri, '/' || p.ref)))
LEFT JOIN article_dups AS d ON d.article_id = a.article_id
JOIN articles_base AS c ON c.article_id = coalesce(d.canonical_article_id, a.article_id);
