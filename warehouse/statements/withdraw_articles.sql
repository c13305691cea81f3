-- Withdraw the articles in `probe` (article_id), recorded in withdrawn_articles: drop everything derived
-- from them and their rows. Near-duplicate groups they were in are dissolved, so their other members (which may have
-- copied a withdrawn original) are grouped again and elect a new canonical member; a story losing members
-- is rebuilt by the stories stage (its article_count no longer matches its members).
CREATE OR REPLACE TEMP TABLE _dissolved AS
SELECT DISTINCT dup_group_id FROM article_dups WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM article_dups WHERE dup_group_id IN (SELECT dup_group_id FROM _dissolved);
DELETE FROM dup_groups WHERE dup_group_id IN (SELECT dup_group_id FROM _dissolved);
DROP TABLE _dissolved;
DELETE FROM lsh_bands WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM article_signatures WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM article_nlp WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM article_entities WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM entity_mentions_base WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM event_actors WHERE event_id IN (SELECT event_id FROM events WHERE article_id IN (SELECT article_id FROM probe));
DELETE FROM events WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM article_event_coding WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM article_stories WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM search_postings WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM search_docs WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM document_articles WHERE article_id IN (SELECT article_id FROM probe);
DELETE FROM articles_base WHERE article_id IN (SELECT article_id FROM probe);
-- Entities only the withdrawn articles mentioned go with them.
DELETE FROM entity_links AS l
WHERE NOT EXISTS (
    SELECT 1 FROM entity_mentions_base AS m WHERE m.entity_key = l.entity_key AND m.surface_key = l.surface_key);
DELETE FROM entities AS e
WHERE NOT EXISTS (SELECT 1 FROM entity_links AS l WHERE l.entity_id = e.entity_id);
