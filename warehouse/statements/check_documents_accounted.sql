-- Documents that are neither an article nor a reject (must be 0 once the articles stage has run).
SELECT count(*)
FROM documents AS d
WHERE NOT EXISTS (SELECT 1 FROM document_articles AS x WHERE x.document_id = d.document_id)
  AND NOT EXISTS (SELECT 1 FROM rejects AS r WHERE r.document_id = d.document_id);
