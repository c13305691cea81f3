-- For this connection only: let a join with a small probe relation (a chunk's band keys or article ids)
-- push the probe's keys into the scan of the big table as an IN filter, answered by the ART index.
-- DuckDB's defaults (50 keys, 2,048 matching rows) fall back to scanning whole tables for a chunk of a
-- few hundred articles; then the cost per article would grow with the size of history.
SET SESSION dynamic_or_filter_threshold = 100000;
SET SESSION index_scan_max_count = 1000000;
