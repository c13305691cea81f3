-- Whether the entity linker's tables (entities, entity_mentions) exist in this warehouse.
SELECT count(*) = 2 FROM duckdb_tables() WHERE schema_name = 'main' AND table_name IN ('entities', 'entity_mentions');
