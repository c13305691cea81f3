-- Canonical URLs in the relation `probe` whose page was already fetched for some feed entry.
SELECT DISTINCT e.canonical_url
FROM feed_entries AS e
WHERE e.page_status = 'fetched' AND e.canonical_url IN (SELECT canonical_url FROM probe);
