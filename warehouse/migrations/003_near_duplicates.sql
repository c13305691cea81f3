-- 003: near-duplicate groups over articles (issue #4): MinHash signatures, the persisted LSH band index,
-- each article's group, and the groups. Narrow side tables, so regrouping never rewrites articles_base
-- (which holds the text): DESIGN §9, keep changing fields out of wide tables.

CREATE TABLE article_signatures (
    article_id     VARCHAR PRIMARY KEY,
    signed_text_hash VARCHAR NOT NULL,
    minhash        BLOB NOT NULL,
    dedupe_version VARCHAR NOT NULL,
    signed_at      TIMESTAMP NOT NULL
);
COMMENT ON TABLE article_signatures IS 'MinHash signature of each article body, so a new article is compared with stored ones without re-reading their text.';
COMMENT ON COLUMN article_signatures.article_id IS 'The article (articles.article_id).';
COMMENT ON COLUMN article_signatures.signed_text_hash IS 'articles.text_hash the signature was computed from; a different current hash means the text was edited and the article is grouped again.';
COMMENT ON COLUMN article_signatures.minhash IS 'MinHash of the body''s 5-word shingles: 128 little-endian uint32 values (datasketch affine32 scheme, seed 1). Estimated Jaccard similarity = share of equal positions.';
COMMENT ON COLUMN article_signatures.dedupe_version IS 'Version of the near-duplicate settings and code that computed it (pipelines/core/stages/near_duplicates.py).';
COMMENT ON COLUMN article_signatures.signed_at IS 'When (UTC).';

CREATE TABLE lsh_bands (
    band_key   UINTEGER NOT NULL,
    article_id VARCHAR NOT NULL
);
-- Looked up by join with the band keys of the articles being grouped: an index scan, so the cost per
-- article depends on how many articles share its buckets, not on how many are stored.
CREATE INDEX lsh_bands_band_key ON lsh_bands (band_key);
COMMENT ON TABLE lsh_bands IS 'Persisted LSH index: one row per article and band. Articles sharing a band_key are near-duplicate candidates, verified by signature similarity before they are grouped.';
COMMENT ON COLUMN lsh_bands.band_key IS '32-bit hash of the band number and the 3 signature values of that band (32 bands per article).';
COMMENT ON COLUMN lsh_bands.article_id IS 'The article (articles.article_id) in this bucket.';

CREATE TABLE article_dups (
    article_id              VARCHAR PRIMARY KEY,
    dup_group_id            VARCHAR NOT NULL,
    canonical_article_id    VARCHAR NOT NULL,
    similarity_to_canonical DOUBLE NOT NULL,
    dup_method              VARCHAR NOT NULL,
    matched_article_id      VARCHAR,
    matched_similarity      DOUBLE,
    published_at_seen       TIMESTAMP,
    dedupe_version          VARCHAR NOT NULL,
    grouped_at              TIMESTAMP NOT NULL
);
CREATE INDEX article_dups_group ON article_dups (dup_group_id);
COMMENT ON TABLE article_dups IS 'The near-duplicate group of every article (a group of one when it has no copy), shown in the articles view.';
COMMENT ON COLUMN article_dups.article_id IS 'The article (articles.article_id).';
COMMENT ON COLUMN article_dups.dup_group_id IS 'Its near-duplicate group (dup_groups): copies of one report share it. Stable: never changes while the article keeps its text, even when the canonical member changes.';
COMMENT ON COLUMN article_dups.canonical_article_id IS 'The group''s canonical member: earliest published, then first seen.';
COMMENT ON COLUMN article_dups.similarity_to_canonical IS 'Estimated Jaccard similarity of the body with the canonical member''s (1 for the canonical member and exact copies). Can be below the threshold for a member that joined through another member.';
COMMENT ON COLUMN article_dups.dup_method IS 'canonical (the member the others point to, also every article without copies), exact (same normalised text as the canonical member) or near (MinHash similarity).';
COMMENT ON COLUMN article_dups.matched_article_id IS 'The member it matched when it joined the group (NULL for the member that founded it).';
COMMENT ON COLUMN article_dups.matched_similarity IS 'Estimated Jaccard similarity with matched_article_id when it joined.';
COMMENT ON COLUMN article_dups.published_at_seen IS 'articles.published_at when the group was last worked out; a different current date makes the stage elect the canonical member again.';
COMMENT ON COLUMN article_dups.dedupe_version IS 'Version of the near-duplicate settings (threshold included) and code that grouped it.';
COMMENT ON COLUMN article_dups.grouped_at IS 'When the row was last written (UTC).';

CREATE TABLE dup_groups (
    dup_group_id         VARCHAR PRIMARY KEY,
    canonical_article_id VARCHAR NOT NULL,
    size                 INTEGER NOT NULL,
    founder_article_id   VARCHAR NOT NULL,
    created_at           TIMESTAMP NOT NULL,
    updated_at           TIMESTAMP NOT NULL
);
COMMENT ON TABLE dup_groups IS 'One row per near-duplicate group: a distinct report and how many articles carry it.';
COMMENT ON COLUMN dup_groups.dup_group_id IS 'Hash of the founding article id and its text hash; kept for the life of the group.';
COMMENT ON COLUMN dup_groups.canonical_article_id IS 'The member to count and show: earliest published_at (articles without a date last), then earliest first_seen_at.';
COMMENT ON COLUMN dup_groups.size IS 'Number of articles in the group.';
COMMENT ON COLUMN dup_groups.founder_article_id IS 'The article that started the group (the first of its copies to be grouped).';
COMMENT ON COLUMN dup_groups.created_at IS 'When the group was created (UTC).';
COMMENT ON COLUMN dup_groups.updated_at IS 'When its membership or canonical member last changed (UTC).';
