-- View columns that have no comment yet (they inherit one from the table column of the same name).
SELECT v.view_name, c.column_name
FROM duckdb_views() AS v
JOIN duckdb_columns() AS c ON c.table_name = v.view_name AND c.schema_name = v.schema_name
WHERE NOT v.internal AND v.schema_name = 'main' AND c.comment IS NULL;
