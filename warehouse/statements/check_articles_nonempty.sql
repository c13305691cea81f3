-- Articles whose text or title is empty (must be 0). word_count = 0 covers an empty text without reading
-- every text of the warehouse.
SELECT count(*) FROM articles_base WHERE word_count = 0 OR title IS NULL OR trim(title) = '';
