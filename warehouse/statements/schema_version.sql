-- The newest migration applied to this file.
SELECT max(version) FROM schema_migrations;
