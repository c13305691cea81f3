-- Primary keys (for the schema page).
SELECT table_name AS relation, constraint_column_names AS columns
FROM duckdb_constraints()
WHERE schema_name = 'main' AND constraint_type = 'PRIMARY KEY'
ORDER BY table_name;
