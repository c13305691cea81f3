-- What the warehouse holds, in the units analysts count (the brief and the publish asset show it).
SELECT
    (SELECT coalesce(max(CAST(value AS BIGINT)), 0) FROM warehouse_meta WHERE key = 'data_version') AS data_version,
    (SELECT count(*) FROM documents) AS documents,
    (SELECT count(*) FROM articles_base) AS articles,
    (SELECT count(*) FROM canonical_articles) AS reports,
    (SELECT count(*) FROM stories) AS stories,
    (SELECT count(*) FROM countable_events) AS events,
    (SELECT count(*) FROM entities) AS entities,
    (SELECT count(*) FROM rejects) AS rejects,
    (SELECT max(first_seen_at) FROM articles_base) AS last_article_at;
