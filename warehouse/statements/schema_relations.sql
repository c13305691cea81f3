-- Tables and views of the warehouse with their comments (for the generated schema page).
SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal
UNION ALL
SELECT view_name, 'view', comment FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal
ORDER BY name;
