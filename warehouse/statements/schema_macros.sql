-- Macros analysts call (search, search_tokens), with their parameters and comments (for the schema page).
SELECT function_name AS name, function_type AS kind, parameters, comment
FROM duckdb_functions()
WHERE schema_name = 'main' AND NOT internal AND function_type IN ('macro', 'table_macro')
ORDER BY name;
