-- Record the articles in `probe` (article_id) as withdrawn, before withdraw_articles.sql drops them.
INSERT OR REPLACE INTO withdrawn_articles
SELECT a.article_id, a.document_id, a.title, a.text_hash, a.first_seen_at, $now, $run_id
FROM articles_base AS a JOIN probe USING (article_id);
