-- Seed files of the given batches that were present when last scanned (a file missing from this scan of
-- its shard has been deleted), with the size and mtime the scanner saw (the seed sensor compares them).
SELECT relpath, uri, size_bytes, mtime_ns FROM seed_files
WHERE list_contains($batch_keys::VARCHAR[], batch_key) AND status <> 'deleted';
