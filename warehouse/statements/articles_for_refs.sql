-- The article each reference in `probe` (ref) names: its article id, URL, canonical URL or document URI (a
-- seed file as in documents.uri). A near-duplicate copy stands for its report's canonical member, which
-- carries the report's events and story.
SELECT DISTINCT p.ref, coalesce(d.canonical_article_id, a.article_id) AS article_id, c.text
FROM probe AS p
JOIN articles_base AS a
  ON p.ref IN (a.article_id, a.url, a.canonical_url)
  OR p.ref IN (SELECT uri FROM documents AS doc WHERE doc.document_id = a.document_id)
LEFT JOIN article_dups AS d ON d.article_id = a.article_id
JOIN articles_base AS c ON c.article_id = coalesce(d.canonical_article_id, a.article_id);
