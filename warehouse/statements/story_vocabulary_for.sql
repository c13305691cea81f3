-- Document frequencies of the terms, entity keys and event keys in `probe` (kind, key).
SELECT v.kind, v.key, v.df FROM story_vocabulary AS v JOIN probe AS p USING (kind, key);
