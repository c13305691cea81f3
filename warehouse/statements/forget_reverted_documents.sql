-- Documents in `probe`, read again from a changed file, whose article now holds another document's text:
-- the file went back to bytes read before (an edit undone). Forgetting their outcome lets the cleaner take
-- them up again, so the article becomes this text again. Lines of a .jsonl file that did not change are
-- still their article's document and stay done.
DELETE FROM document_articles AS x
USING probe AS p
WHERE x.document_id = p.document_id
  AND x.relation <> 'same_text'
  AND EXISTS (SELECT 1 FROM articles_base AS a WHERE a.article_id = x.article_id AND a.document_id <> x.document_id);
