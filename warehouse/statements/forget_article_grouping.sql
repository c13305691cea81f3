-- Withdraw the articles in `probe` (article_id) from the index and their groups before they are grouped
-- again (their text changed). Deleting bands scans lsh_bands (DuckDB does not delete through an index
-- join), once per chunk holding edited articles.
DELETE FROM lsh_bands WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM article_signatures WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM article_dups WHERE article_id IN (SELECT article_id FROM probe);
