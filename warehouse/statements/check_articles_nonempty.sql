-- Articles whose text or title is empty (must be 0).
SELECT count(*) FROM articles_base WHERE trim(text) = '' OR word_count = 0 OR title IS NULL OR trim(title) = '';
