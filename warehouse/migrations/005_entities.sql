-- 005: entities. Per article, mentions found in the stored parse (entity_mentions_base, with the
-- article's status in article_entities); across articles, which canonical keys make one entity
-- (entity_links) and the entities themselves. Analysts read the view entity_mentions (views.sql).

CREATE TABLE article_entities (
    article_id     VARCHAR PRIMARY KEY,
    text_hash      VARCHAR NOT NULL,
    nlp_version    VARCHAR NOT NULL,
    entity_version VARCHAR NOT NULL,
    status         VARCHAR NOT NULL,
    mentions       INTEGER NOT NULL,
    processed_at   TIMESTAMP NOT NULL
);
COMMENT ON TABLE article_entities IS 'Which parse of each article its entity mentions come from, and by which version of the entity rules; an article whose parse or rules changed is processed again.';
COMMENT ON COLUMN article_entities.article_id IS 'The article.';
COMMENT ON COLUMN article_entities.text_hash IS 'article_nlp.text_hash of the parse the mentions were read from.';
COMMENT ON COLUMN article_entities.nlp_version IS 'article_nlp.nlp_version of that parse.';
COMMENT ON COLUMN article_entities.entity_version IS 'Version of the entity rules and data files (demonyms, names, gazetteer) that found the mentions.';
COMMENT ON COLUMN article_entities.status IS 'linked (mentions found; possibly none), or skipped (the article has no parse: not English).';
COMMENT ON COLUMN article_entities.mentions IS 'Mentions found in the article.';
COMMENT ON COLUMN article_entities.processed_at IS 'When (UTC).';

CREATE TABLE entity_mentions_base (
    article_id   VARCHAR NOT NULL,
    start_char   INTEGER NOT NULL,
    end_char     INTEGER NOT NULL,
    surface      VARCHAR NOT NULL,
    label        VARCHAR NOT NULL,
    sentence_idx INTEGER NOT NULL,
    entity_type  VARCHAR NOT NULL,
    entity_key   VARCHAR NOT NULL,
    surface_key  VARCHAR NOT NULL,
    country_code VARCHAR,
    source       VARCHAR NOT NULL,
    PRIMARY KEY (article_id, start_char)
);
COMMENT ON TABLE entity_mentions_base IS 'One row per mention of an entity in an article, as resolved within the article; read it through the view entity_mentions, which adds the entity_id. Re-processing an article replaces its rows.';
COMMENT ON COLUMN entity_mentions_base.article_id IS 'The article.';
COMMENT ON COLUMN entity_mentions_base.start_char IS 'Start of the mention in articles.text (characters, from 0).';
COMMENT ON COLUMN entity_mentions_base.end_char IS 'End of the mention in articles.text (exclusive): surface = text[start_char:end_char].';
COMMENT ON COLUMN entity_mentions_base.surface IS 'The mention as written, without a leading "the" or a trailing possessive.';
COMMENT ON COLUMN entity_mentions_base.label IS 'spaCy label as found (NORP for "Russian", PERSON, ORG, GPE, LOC, FAC, …); for a repeat the model missed, the label of the name it repeats.';
COMMENT ON COLUMN entity_mentions_base.sentence_idx IS 'Sentence of the mention: 0-based index into doc.sents of the stored parse (article_nlp).';
COMMENT ON COLUMN entity_mentions_base.entity_type IS 'Entity type decided in the article: PERSON, ORG, COUNTRY, PLACE, NORP, FAC, EVENT, LAW, PRODUCT, WORK_OF_ART, LANGUAGE.';
COMMENT ON COLUMN entity_mentions_base.entity_key IS 'Canonical key resolved in the article: COUNTRY:TR, PLACE:gn:<geonames id>, PLACE:<name>, PERSON:<folded full name>, ORG:<folded name>, … ("Erdoğan" after "Recep Tayyip Erdoğan": PERSON:recep tayyip erdogan).';
COMMENT ON COLUMN entity_mentions_base.surface_key IS 'Key of the surface on its own (PERSON:erdogan); the cross-article rules and split overrides use it.';
COMMENT ON COLUMN entity_mentions_base.country_code IS 'ISO 3166-1 alpha-2 country the mention ties the entity to: the country itself, the place''s country, the nationality written before a person ("Turkish President …"), the country in an organisation''s name; NULL when unstated.';
COMMENT ON COLUMN entity_mentions_base.source IS 'ner (spaCy''s entity), acronym (long form of an acronym defined in the text, or the acronym itself), repeat (another occurrence of a name found in the article).';

CREATE TABLE entity_links (
    entity_key  VARCHAR NOT NULL,
    surface_key VARCHAR NOT NULL,
    entity_id   VARCHAR NOT NULL,
    rule        VARCHAR NOT NULL,
    PRIMARY KEY (entity_key, surface_key)
);
COMMENT ON TABLE entity_links IS 'The entity of every (entity_key, surface_key) pair in use, recomputed across all articles by the entities stage (rules, then the overrides file).';
COMMENT ON COLUMN entity_links.entity_key IS 'entity_mentions_base.entity_key.';
COMMENT ON COLUMN entity_links.surface_key IS 'entity_mentions_base.surface_key.';
COMMENT ON COLUMN entity_links.entity_id IS 'The entity these mentions refer to.';
COMMENT ON COLUMN entity_links.rule IS 'How the key came to the entity: canonical (it is the entity''s key), alias (used for it in another article), surname (short form of its one full name), same name, override merge, override place, override split.';

CREATE TABLE entities (
    entity_id     VARCHAR PRIMARY KEY,
    name          VARCHAR NOT NULL,
    type          VARCHAR NOT NULL,
    aliases       VARCHAR[] NOT NULL,
    country_code  VARCHAR,
    geonames_id   BIGINT,
    lat           DOUBLE,
    lon           DOUBLE,
    geo_status    VARCHAR,
    canonical_key VARCHAR NOT NULL,
    updated_at    TIMESTAMP NOT NULL
);
COMMENT ON TABLE entities IS 'One real-world entity (person, organisation, country, place, group, …) however it is written; count its mentions in entity_mentions.';
COMMENT ON COLUMN entities.entity_id IS 'Hash of canonical_key: the same on every run and rebuild.';
COMMENT ON COLUMN entities.name IS 'Display name: the country''s or gazetteer''s English name, else the most frequent way the full name is written.';
COMMENT ON COLUMN entities.type IS 'PERSON, ORG, COUNTRY (demonyms such as "Russian" count here), PLACE (cities and other places), NORP (groups that are not one country), FAC, EVENT, LAW, PRODUCT, WORK_OF_ART, LANGUAGE.';
COMMENT ON COLUMN entities.aliases IS 'Other ways the entity is written in the articles, most frequent first (at most 20).';
COMMENT ON COLUMN entities.country_code IS 'ISO 3166-1 alpha-2: the country itself, the place''s country, or for other entities the country most of their mentions state (NULL when unknown or disputed).';
COMMENT ON COLUMN entities.geonames_id IS 'GeoNames id of a country or of a gazetteer place.';
COMMENT ON COLUMN entities.lat IS 'Latitude (WGS84) of a place; NULL for countries (areas) and for places the gazetteer could not settle.';
COMMENT ON COLUMN entities.lon IS 'Longitude (WGS84), as lat.';
COMMENT ON COLUMN entities.geo_status IS 'For places: gazetteer (geocoded from the article''s context), override (from the overrides file), ambiguous (several candidates, none clearly meant: no coordinates), not_found (not in the gazetteer). NULL for other types.';
COMMENT ON COLUMN entities.canonical_key IS 'The key the entity is identified by (COUNTRY:TR, PLACE:gn:323786, PERSON:recep tayyip erdogan, …).';
COMMENT ON COLUMN entities.updated_at IS 'When the row last changed (UTC).';
