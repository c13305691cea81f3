-- Stories that may be active for articles published between $from_published and $to_published or first
-- seen between $from_seen and $to_seen (the bounds already widened by the window); the clusterer checks
-- each article exactly.
SELECT story_id, title, first_published_at, last_published_at, first_seen_at, last_seen_at, article_count
FROM stories
WHERE (last_published_at >= $from_published AND first_published_at <= $to_published)
   OR (last_seen_at >= $from_seen AND first_seen_at <= $to_seen)
ORDER BY story_id;
