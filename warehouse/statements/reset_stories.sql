-- Forget every story: a new clusterer version rebuilds them all, in the order the articles arrived.
DELETE FROM article_stories;
DELETE FROM stories;
DELETE FROM story_terms;
DELETE FROM story_entities;
DELETE FROM story_events;
DELETE FROM story_vocabulary;
