-- The comment of a table column named $column, for the same column of view $view: the table <view>_base
-- behind the view first, then a table the view's own SQL reads (countable_events.lat is events.lat, not
-- entities.lat), then any table, alphabetically.
SELECT c.comment
FROM duckdb_columns() AS c
JOIN duckdb_tables() AS t USING (database_name, schema_name, table_name)
LEFT JOIN duckdb_views() AS v ON v.view_name = $view AND v.schema_name = c.schema_name
WHERE c.column_name = $column AND c.comment IS NOT NULL
ORDER BY (c.table_name = $view || '_base') DESC,
         coalesce(regexp_matches(v.sql, '\b' || c.table_name || '\b'), false) DESC,
         c.table_name
LIMIT 1;
