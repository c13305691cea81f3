-- What the warehouse holds, in the units analysts count (the brief and the publish asset show it). Counted
-- on base tables (reports: articles that are not a copy; events: countable_events' rule) because the views
-- join every article's columns, three times the cost in a large warehouse. coded_events is every row of
-- events, the total `make run` prints; events leaves out negated and hypothetical ones, copies of a report
-- and those an analyst dropped, as countable_events does.
WITH copies AS (SELECT article_id FROM article_dups WHERE dup_method <> 'canonical')
SELECT
    (SELECT count(*) FROM data_changes) AS data_version,
    (SELECT count(*) FROM documents) AS documents,
    (SELECT count(*) FROM articles_base) AS articles,
    (SELECT count(*) FROM articles_base WHERE article_id NOT IN (SELECT article_id FROM copies)) AS reports,
    (SELECT count(*) FROM stories) AS stories,
    (SELECT count(*) FROM events) AS coded_events,
    (SELECT count(*) FROM events
     WHERE NOT negated AND NOT hypothetical AND article_id NOT IN (SELECT article_id FROM copies)
       AND event_id NOT IN (SELECT event_id FROM event_corrections WHERE dropped)) AS events,
    (SELECT count(*) FROM entities) AS entities,
    (SELECT count(*) FROM rejects) AS rejects,
    (SELECT max(first_seen_at) FROM articles_base) AS last_article_at;
