-- Bookkeeping created before any migration runs (and not logged: a standby is always born as a copy of
-- a working file that already has this table).
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    checksum   VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE schema_migrations IS 'Migrations (warehouse/migrations/NNN_*.sql) applied to this warehouse; an applied migration may not change.';
COMMENT ON COLUMN schema_migrations.version IS 'NNN of the file name.';
COMMENT ON COLUMN schema_migrations.name IS 'File name without .sql.';
COMMENT ON COLUMN schema_migrations.checksum IS 'Hash of the file''s text when applied.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When (UTC).';
