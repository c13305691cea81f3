-- For each view column without a comment, the comment of the table column of the same name it inherits:
-- the table <view>_base behind the view first, then a table the view's own SQL reads
-- (countable_events.lat is events.lat, not entities.lat), then any table, alphabetically.
-- One query for all columns: a new warehouse has hundreds of them.
SELECT v.view_name, vc.column_name, tc.comment
FROM duckdb_views() AS v
JOIN duckdb_columns() AS vc ON vc.table_name = v.view_name AND vc.schema_name = v.schema_name
JOIN duckdb_columns() AS tc ON tc.column_name = vc.column_name AND tc.schema_name = v.schema_name
JOIN duckdb_tables() AS t
  ON t.database_name = tc.database_name AND t.schema_name = tc.schema_name AND t.table_name = tc.table_name
WHERE NOT v.internal AND v.schema_name = 'main' AND vc.comment IS NULL AND tc.comment IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY v.view_name, vc.column_name
    ORDER BY (tc.table_name = v.view_name || '_base') DESC,
             coalesce(regexp_matches(v.sql, '\b' || tc.table_name || '\b'), false) DESC,
             tc.table_name
) = 1
ORDER BY v.view_name, vc.column_name;
