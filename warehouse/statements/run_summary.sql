-- What one run did, stage by stage, next to the warehouse totals.
SELECT
    (SELECT count(*) FROM documents) AS documents_total,
    (SELECT count(*) FROM articles_base) AS articles_total,
    (SELECT count(*) FROM rejects) AS rejects_total,
    (SELECT count(*) FROM document_articles WHERE relation IN ('same_text', 'same_source')) AS duplicates_total,
    -- Every document the run stored, those refused at reading (rejects of stage read) included, as in the total.
    coalesce((SELECT sum(rows_new) FROM pipeline_runs WHERE run_id = $run_id AND stage IN ('documents', 'feeds')), 0)
      + coalesce((SELECT rows_rejected FROM pipeline_runs WHERE run_id = $run_id AND stage = 'documents'), 0) AS documents_new,
    coalesce((SELECT rows_duplicate FROM pipeline_runs WHERE run_id = $run_id AND stage = 'documents'), 0) AS files_unchanged,
    coalesce((SELECT rows_rejected FROM pipeline_runs WHERE run_id = $run_id AND stage = 'documents'), 0)
      + coalesce((SELECT rows_rejected FROM pipeline_runs WHERE run_id = $run_id AND stage = 'articles'), 0) AS rejects_new,
    coalesce((SELECT rows_new FROM pipeline_runs WHERE run_id = $run_id AND stage = 'articles'), 0) AS articles_new,
    coalesce((SELECT rows_updated FROM pipeline_runs WHERE run_id = $run_id AND stage = 'articles'), 0) AS articles_updated,
    coalesce((SELECT rows_duplicate FROM pipeline_runs WHERE run_id = $run_id AND stage = 'articles'), 0) AS duplicates_new,
    coalesce((SELECT rows_duplicate FROM pipeline_runs WHERE run_id = $run_id AND stage = 'near_duplicates'), 0) AS near_dups_new,
    (SELECT count(*) FROM article_dups WHERE dup_method <> 'canonical') AS near_dups_total,
    coalesce((SELECT rows_new FROM pipeline_runs WHERE run_id = $run_id AND stage = 'stories'), 0) AS stories_new,
    coalesce((SELECT rows_in FROM pipeline_runs WHERE run_id = $run_id AND stage = 'stories'), 0) AS stories_articles,
    (SELECT count(*) FROM stories) AS stories_total,
    coalesce((SELECT rows_new FROM pipeline_runs WHERE run_id = $run_id AND stage = 'events'), 0) AS events_new,
    (SELECT count(*) FROM events) AS events_total;
