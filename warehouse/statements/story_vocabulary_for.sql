-- Document frequencies of the terms and entity keys in `probe` (kind, key).
SELECT v.kind, v.key, v.df FROM story_vocabulary AS v JOIN probe AS p USING (kind, key);
