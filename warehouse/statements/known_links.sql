-- Canonical URLs in the relation `probe` whose page was already fetched for some feed entry, with the
-- document of that page (an entry linking to it again is that document's entry too).
SELECT e.canonical_url, min(e.document_id) AS document_id
FROM feed_entries AS e
WHERE e.page_status = 'fetched' AND e.canonical_url IN (SELECT canonical_url FROM probe)
GROUP BY e.canonical_url;
