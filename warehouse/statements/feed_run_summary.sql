-- What one run's feed polling did, next to the sources' health.
SELECT
    coalesce((SELECT rows_in FROM pipeline_runs WHERE run_id = $run_id AND stage = 'feeds'), 0) AS polled,
    coalesce((SELECT rows_duplicate FROM pipeline_runs WHERE run_id = $run_id AND stage = 'feeds'), 0) AS unchanged,
    (SELECT count(*) FROM fetches WHERE run_id = $run_id AND purpose IN ('feed', 'page') AND outcome = 'error') AS failed,
    (SELECT count(*) FROM feed_entries WHERE run_id = $run_id) AS entries_new,
    (SELECT count(*) FROM sources WHERE enabled) AS sources_enabled,
    (SELECT count(*) FROM sources WHERE status = 'failing') AS sources_failing;
