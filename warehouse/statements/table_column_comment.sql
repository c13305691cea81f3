-- The comment of a table column named $column, preferring the table <view>_base behind view $view.
SELECT c.comment
FROM duckdb_columns() AS c
JOIN duckdb_tables() AS t USING (database_name, schema_name, table_name)
WHERE c.column_name = $column AND c.comment IS NOT NULL
ORDER BY (c.table_name = $view || '_base') DESC, c.table_name
LIMIT 1;
