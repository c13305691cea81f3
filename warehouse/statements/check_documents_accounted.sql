-- Documents of the given batches that are neither an article, a reject nor withdrawn (must be 0 once the articles
-- stage has run for those batches; other batches may be mid-run in another process).
SELECT count(*)
FROM documents AS d
WHERE list_contains($batch_keys::VARCHAR[], d.batch_key)
  AND NOT EXISTS (SELECT 1 FROM document_articles AS x WHERE x.document_id = d.document_id)
  AND NOT EXISTS (SELECT 1 FROM rejects AS r WHERE r.document_id = d.document_id)
  AND NOT EXISTS (SELECT 1 FROM withdrawn_documents AS w WHERE w.document_id = d.document_id);
