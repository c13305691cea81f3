-- A few of the documents a run wrote, for the Dagster materialization preview.
SELECT d.uri, d.locator, d.content_type, d.size_bytes, r.stage AS rejected_at_stage
FROM documents AS d
LEFT JOIN rejects AS r USING (document_id)
WHERE d.run_id = $run_id
ORDER BY d.uri, length(coalesce(d.locator, '')), d.locator
LIMIT 10;
