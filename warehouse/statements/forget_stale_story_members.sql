-- Memberships that no longer stand: articles whose text changed since they joined their story (they are
-- clustered again with their new text), and articles that have become a near-duplicate copy of another
-- (a copy takes its canonical member's story). The stories that lose members are rebuilt from the others.
DELETE FROM article_stories AS m
USING articles_base AS a
WHERE a.article_id = m.article_id AND m.text_hash IS NOT NULL AND m.text_hash <> a.text_hash;
DELETE FROM article_stories
WHERE article_id IN (SELECT article_id FROM article_dups WHERE dup_method <> 'canonical');
