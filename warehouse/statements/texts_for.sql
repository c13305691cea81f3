-- Texts and headlines of the articles in `probe`: fetched for the few being parsed, after choosing them
-- (selecting texts with the choice would read every text of the warehouse).
SELECT a.article_id, a.text, a.title, a.title_source
FROM articles_base AS a
JOIN probe USING (article_id);
