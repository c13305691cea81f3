-- Drop every signature, band and group: the near-duplicate settings changed, so all articles are
-- signed and grouped again by the new version (one transaction; the next chunks rebuild it).
DELETE FROM lsh_bands;
DELETE FROM article_signatures;
DELETE FROM article_dups;
DELETE FROM dup_groups;
