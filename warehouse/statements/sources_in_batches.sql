-- Every source (enabled or not) of the given feed batches.
SELECT * FROM sources WHERE list_contains($batch_keys::VARCHAR[], batch_key) ORDER BY source_id;
