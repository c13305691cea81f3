-- Drop the previous cleaning outcome of the documents in `probe` before writing the new one
-- (a document rejected by an old cleaner may become an article, and the other way round).
DELETE FROM document_articles WHERE document_id IN (SELECT document_id FROM probe);
DELETE FROM rejects WHERE document_id IN (SELECT document_id FROM probe) AND stage <> 'read';
