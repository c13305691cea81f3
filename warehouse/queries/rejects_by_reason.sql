-- Why documents were rejected, most frequent reason first, with the latest example to look at.
SELECT stage, reason, source_kind, rejects, last_rejected_at, latest_uri
FROM reject_reasons
ORDER BY rejects DESC, last_rejected_at DESC;
