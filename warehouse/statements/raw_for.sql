-- Bytes of the documents in `probe` (the few chosen to be cleaned).
SELECT d.document_id, d.raw
FROM documents AS d
JOIN probe USING (document_id);
