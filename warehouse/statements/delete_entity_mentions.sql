-- Forget the mentions of the given articles (they are about to be replaced).
DELETE FROM entity_mentions_base WHERE list_contains($article_ids::VARCHAR[], article_id);
