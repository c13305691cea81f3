-- Fold each article in `probe` (article_id) into its original (original_id), as the cleaner would have had it
-- seen the original first: its documents become exact copies (same_text) of the original, and it goes. Nothing
-- else refers to it yet (concurrent_exact_copies.sql picks only articles neither grouped nor parsed), apart
-- from the search index a publish may have built meanwhile.
UPDATE document_articles AS x
SET article_id = p.original_id, relation = 'same_text'
FROM probe AS p
WHERE x.article_id = p.article_id;
DELETE FROM search_postings WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM search_docs WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM articles_base WHERE article_id IN (SELECT article_id FROM probe);
