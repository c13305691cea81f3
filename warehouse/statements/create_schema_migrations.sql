-- Bookkeeping created before any migration runs (and not logged: a standby is always born as a copy of
-- a working file that already has these tables).
CREATE TABLE IF NOT EXISTS schema_migrations (
    version    INTEGER PRIMARY KEY,
    name       VARCHAR NOT NULL,
    checksum   VARCHAR NOT NULL,
    applied_at TIMESTAMP NOT NULL
);
COMMENT ON TABLE schema_migrations IS 'Migrations (warehouse/migrations/NNN_*.sql) applied to this file; an applied migration may not change.';
COMMENT ON COLUMN schema_migrations.version IS 'NNN of the file name.';
COMMENT ON COLUMN schema_migrations.name IS 'File name without .sql.';
COMMENT ON COLUMN schema_migrations.checksum IS 'Hash of the file''s text when applied.';
COMMENT ON COLUMN schema_migrations.applied_at IS 'When (UTC).';

CREATE TABLE IF NOT EXISTS write_log_position (seq BIGINT NOT NULL);
COMMENT ON TABLE write_log_position IS 'The last write-log transaction this file holds (one row): in the working file, the last one committed; in news.duckdb and its standbys, the last one replayed.';
COMMENT ON COLUMN write_log_position.seq IS 'Transaction sequence number (work/oplog/<seq>).';
INSERT INTO write_log_position SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM write_log_position);
