-- Entries of one section of the corrections file that are not fully applied (stale, partial, ambiguous).
SELECT position, action, status, matched, detail, entry
FROM corrections
WHERE section = $section AND status <> 'applied'
ORDER BY position, action;
