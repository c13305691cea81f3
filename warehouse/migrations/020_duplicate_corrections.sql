-- 020: analysts' near-duplicate splits (the corrections file's duplicates section): an article an analyst
-- says is not a copy of another report is put in a group of its own by the near_duplicates stage, and its
-- membership row names the entry that put it there, like article_stories.corrected_by for stories.

ALTER TABLE article_dups ADD COLUMN corrected_by VARCHAR;
COMMENT ON COLUMN article_dups.corrected_by IS 'The near-duplicate correction (corrections.correction_id) that put the article in this group, when an analyst''s split did; NULL when the MinHash grouping did.';
COMMENT ON COLUMN article_dups.matched_article_id IS 'The member it matched when it joined the group (NULL for the member that founded it, and for an article a correction put there).';
COMMENT ON COLUMN dup_groups.dup_group_id IS 'Hash of the founding article id and its text hash, or of the articles of the split correction that made the group; kept for the life of the group.';
COMMENT ON COLUMN dup_groups.founder_article_id IS 'The article that started the group (the first of its copies to be grouped, or the first article a split correction put there).';

COMMENT ON COLUMN corrections.section IS 'events, stories or duplicates: the section of the file.';
COMMENT ON COLUMN corrections.action IS 'drop or change (events), merge or split (stories), split (duplicates).';
COMMENT ON COLUMN corrections.status IS 'applied, partial (some of the articles it names are missing, or listed by an earlier near-duplicate split), stale (matches nothing) or ambiguous (an event fix matching several events; applied to none).';
COMMENT ON COLUMN corrections.matched IS 'Rows it applies to: events for event fixes, the listed articles found for story and near-duplicate fixes.';
