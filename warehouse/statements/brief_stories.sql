-- The $top largest stories that gained articles in the $days days up to the latest one, with the outlets
-- that carried them: each article's site name, else its feed's name, else its dateline's agency, else the
-- host of its URL; `unnamed` counts the articles that name no outlet (a seed file without a dateline).
WITH window_end AS (SELECT max(last_seen_at) AS latest FROM stories),
chosen AS (
    SELECT s.*
    FROM stories AS s, window_end AS w
    WHERE s.last_seen_at >= w.latest - to_days(CAST($days AS INTEGER))
    ORDER BY s.article_count DESC, s.last_seen_at DESC, s.title
    LIMIT $top
),
carried AS (
    SELECT a.story_id,
           coalesce(a.site_name, src.name, a.agency,
                    regexp_extract(a.url, '^[a-zA-Z]+://(?:www\.)?([^/:?#]+)', 1)) AS outlet,
           coalesce(a.published_at, a.first_seen_at) AS carried_at
    FROM articles AS a
    JOIN documents AS d USING (document_id)
    LEFT JOIN sources AS src ON src.source_id = d.source_id
    WHERE a.story_id IN (SELECT story_id FROM chosen)
)
SELECT c.title, c.article_count AS articles, c.first_published_at, c.last_seen_at,
       (SELECT count(*) FROM countable_events AS e WHERE e.story_id = c.story_id) AS events,
       (SELECT string_agg(o.outlet, '; ' ORDER BY o.first_at, o.outlet)
        FROM (SELECT outlet, min(carried_at) AS first_at FROM carried
              WHERE story_id = c.story_id AND nullif(outlet, '') IS NOT NULL GROUP BY outlet) AS o) AS sources,
       (SELECT count(*) FROM carried WHERE story_id = c.story_id AND nullif(outlet, '') IS NULL) AS unnamed
FROM chosen AS c
ORDER BY c.article_count DESC, c.last_seen_at DESC, c.title;
