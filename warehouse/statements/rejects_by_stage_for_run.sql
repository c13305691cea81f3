-- Rejects written by one run, per stage.
SELECT stage, count(*) AS n FROM rejects WHERE run_id = $run_id GROUP BY stage ORDER BY stage;
