-- Every column of every table and view, in order, with its type and comment (for the schema page).
SELECT c.table_name AS relation, c.column_name AS name, c.data_type AS type, c.is_nullable AS nullable, c.comment
FROM duckdb_columns() AS c
WHERE c.schema_name = 'main' AND NOT c.internal
ORDER BY c.table_name, c.column_index;
