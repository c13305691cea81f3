-- Stories with the most independent sources: sources with a report of their own, not a copy of another's.
SELECT s.title,
       count(*) FILTER (WHERE src.original_reports > 0) AS independent_sources,
       sum(src.original_reports) AS reports,
       sum(src.articles) AS articles,
       string_agg(src.source || CASE WHEN src.original_reports = 0 THEN ' (copy)' ELSE '' END, '; '
                  ORDER BY src.first_at, src.source) AS carried_by
FROM stories AS s
JOIN story_sources AS src USING (story_id)
GROUP BY s.story_id, s.title
ORDER BY independent_sources DESC, articles DESC, s.title
LIMIT 20;
