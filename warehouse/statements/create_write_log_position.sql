-- The embedded backend's write-log position, created before any migration runs (and not logged: each file
-- keeps its own position). The lake has no write log.
CREATE TABLE IF NOT EXISTS write_log_position (seq BIGINT NOT NULL);
COMMENT ON TABLE write_log_position IS 'The last write-log transaction this file holds (one row): in the working file, the last one committed; in news.duckdb and its standbys, the last one replayed.';
COMMENT ON COLUMN write_log_position.seq IS 'Transaction sequence number (work/oplog/<seq>).';
INSERT INTO write_log_position SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM write_log_position);
