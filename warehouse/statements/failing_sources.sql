-- The sources that are failing (or whose entry in the sources file is invalid), with the reason and whether
-- the run $run_id tried them: what the summary of `make run` and `make poll` lists under its Sources line.
SELECT s.name, s.url, s.status, s.last_error, s.consecutive_failures, s.next_poll_at,
       EXISTS (SELECT 1 FROM fetches AS f
               WHERE f.run_id = $run_id AND f.source_id = s.source_id AND f.purpose IN ('feed', 'page')
                 AND f.outcome = 'error') AS failed_in_run
FROM sources AS s
WHERE s.status IN ('failing', 'invalid')
ORDER BY s.status, coalesce(s.name, s.url);
