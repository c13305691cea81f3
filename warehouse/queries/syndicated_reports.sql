-- Reports carried by more than one article (syndication), with each copy and how close it is.
SELECT c.title AS report, c.dup_group_size AS copies, a.title AS copy, a.dup_method,
       round(a.similarity_to_canonical, 3) AS similarity
FROM canonical_articles AS c
JOIN articles AS a USING (dup_group_id)
WHERE c.dup_group_size > 1
ORDER BY c.dup_group_size DESC, c.title, a.dup_method, a.title;
