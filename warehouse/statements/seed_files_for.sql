-- Scanner state of the files listed in the relation `probe` (relpath).
SELECT s.relpath, s.size_bytes, s.mtime_ns, s.sha256, s.status
FROM seed_files AS s
JOIN probe USING (relpath);
