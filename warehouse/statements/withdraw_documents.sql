-- The seed files in `probe` (uri, reason) changed or disappeared: every document ever read from them that
-- is not among their current documents ($current, the ids read from them in this run) is withdrawn
-- (restore_documents.sql then takes back those that are current again).
INSERT OR IGNORE INTO withdrawn_documents
SELECT d.document_id, d.batch_key, d.uri, p.reason, $now, $run_id
FROM documents AS d
JOIN probe AS p USING (uri)
WHERE d.source_kind = 'seed_folder' AND NOT list_contains($current::VARCHAR[], d.document_id);
