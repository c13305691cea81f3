-- Seed files of the given batches that were present when last scanned (a file missing from this scan of
-- its shard has been deleted).
SELECT relpath, uri FROM seed_files
WHERE list_contains($batch_keys::VARCHAR[], batch_key) AND status <> 'deleted';
