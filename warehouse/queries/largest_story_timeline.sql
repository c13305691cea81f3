-- The largest story told in time order: its articles and the events they report.
SELECT position, happened_at, time_source, kind, what
FROM story_timeline
WHERE story_id = (SELECT story_id FROM stories ORDER BY article_count DESC, last_seen_at DESC, story_id LIMIT 1)
ORDER BY position;
