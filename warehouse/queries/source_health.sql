-- Sources that need attention first (failing, unread files), then by what each brought in.
SELECT kind, source, status, consecutive_failures, last_error, documents, articles, rejects, last_document_at
FROM source_health
ORDER BY status NOT IN ('ok', 'new') DESC, rejects DESC, documents DESC, source;
