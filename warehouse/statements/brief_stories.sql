-- The $top largest stories that gained articles in the $days days up to the latest one, with who carried them.
WITH window_end AS (SELECT max(last_seen_at) AS latest FROM stories)
SELECT s.title, s.article_count AS articles, s.first_published_at, s.last_seen_at,
       (SELECT count(*) FROM countable_events AS e WHERE e.story_id = s.story_id) AS events,
       (SELECT string_agg(src.source, '; ' ORDER BY src.first_at, src.source)
        FROM story_sources AS src WHERE src.story_id = s.story_id) AS sources
FROM stories AS s, window_end AS w
WHERE s.last_seen_at >= w.latest - to_days(CAST($days AS INTEGER))
ORDER BY s.article_count DESC, s.last_seen_at DESC, s.title
LIMIT $top;
