-- The $top entities named by the most distinct reports (canonical articles: copies of a report do not
-- count again). Read from the base tables: through the views this reads every article's columns.
WITH copies AS (SELECT article_id FROM article_dups WHERE dup_method <> 'canonical'),
named AS (
    SELECT DISTINCT m.article_id, l.entity_id
    FROM entity_mentions_base AS m
    JOIN entity_links AS l USING (entity_key, surface_key)
    WHERE m.article_id NOT IN (SELECT article_id FROM copies)
)
SELECT e.name, e.type, count(*) AS reports
FROM named
JOIN entities AS e USING (entity_id)
GROUP BY ALL
ORDER BY reports DESC, e.name
LIMIT $top;
