-- Number of document ids that occur more than once (must be 0).
SELECT count(*) FROM (SELECT document_id FROM documents GROUP BY document_id HAVING count(*) > 1);
