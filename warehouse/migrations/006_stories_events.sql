-- 006: stories (articles about the same happening) and events (coded actions in sentences, PLOVER).
-- Stories are built online: article_stories is sticky membership, story_terms/story_entities the running
-- centroid, story_vocabulary the document frequencies behind IDF. Events are re-coded per article when
-- its text, its parse or the coder version changes (article_event_coding says which version coded it).

CREATE TABLE stories (
    story_id            VARCHAR PRIMARY KEY,
    title               VARCHAR NOT NULL,
    opening_article_id  VARCHAR NOT NULL,
    first_published_at  TIMESTAMP,
    last_published_at   TIMESTAMP,
    first_seen_at       TIMESTAMP NOT NULL,
    last_seen_at        TIMESTAMP NOT NULL,
    article_count       INTEGER NOT NULL,
    top_entities        VARCHAR[] NOT NULL,
    clusterer_version   VARCHAR NOT NULL,
    updated_at          TIMESTAMP NOT NULL
);
COMMENT ON TABLE stories IS 'One real-world happening reported by one or more articles (online clustering of canonical English articles: TF-IDF of title and lead, shared entities, a time window). See story_articles for its articles in time order.';
COMMENT ON COLUMN stories.story_id IS 'Hash of the article that opened the story: stable across runs.';
COMMENT ON COLUMN stories.title IS 'Representative title: the headline of the article that opened the story.';
COMMENT ON COLUMN stories.opening_article_id IS 'The first article of the story.';
COMMENT ON COLUMN stories.first_published_at IS 'Earliest stated publication time of its articles; NULL when none states one.';
COMMENT ON COLUMN stories.last_published_at IS 'Latest stated publication time of its articles; NULL when none states one.';
COMMENT ON COLUMN stories.first_seen_at IS 'When the pipeline first saw one of its articles (UTC).';
COMMENT ON COLUMN stories.last_seen_at IS 'When the pipeline last added an article to it (UTC); with the dates above, what makes a story active.';
COMMENT ON COLUMN stories.article_count IS 'Articles in the story (rows of article_stories).';
COMMENT ON COLUMN stories.top_entities IS 'The entities most of its articles mention (entity ids where the linker ran, else names), most frequent first.';
COMMENT ON COLUMN stories.clusterer_version IS 'Version of the clustering code and settings that built the story.';
COMMENT ON COLUMN stories.updated_at IS 'When the row was last written (UTC).';

CREATE TABLE article_stories (
    article_id        VARCHAR PRIMARY KEY,
    story_id          VARCHAR NOT NULL,
    similarity        DOUBLE,
    opened_story      BOOLEAN NOT NULL,
    batch_key         VARCHAR NOT NULL,
    clusterer_version VARCHAR NOT NULL,
    assigned_at       TIMESTAMP NOT NULL
);
COMMENT ON TABLE article_stories IS 'Which story each clustered article belongs to. Membership is kept once assigned (history is never re-clustered), until the clusterer version changes.';
COMMENT ON COLUMN article_stories.article_id IS 'The article.';
COMMENT ON COLUMN article_stories.story_id IS 'Its story (stories.story_id).';
COMMENT ON COLUMN article_stories.similarity IS 'Score against the story when it joined (cosine of TF-IDF plus weighted entity overlap); NULL for the article that opened the story.';
COMMENT ON COLUMN article_stories.opened_story IS 'True for the article that opened the story.';
COMMENT ON COLUMN article_stories.batch_key IS 'Partition (batch) that assigned it.';
COMMENT ON COLUMN article_stories.clusterer_version IS 'Clusterer version that assigned it.';
COMMENT ON COLUMN article_stories.assigned_at IS 'When (UTC).';

CREATE TABLE story_terms (
    story_id VARCHAR NOT NULL,
    term     VARCHAR NOT NULL,
    weight   DOUBLE NOT NULL,
    PRIMARY KEY (story_id, term)
);
COMMENT ON TABLE story_terms IS 'Running centroid of each story: the sum of its articles'' normalised term vectors (top terms only), compared with new articles.';
COMMENT ON COLUMN story_terms.story_id IS 'The story.';
COMMENT ON COLUMN story_terms.term IS 'A lemma of the title or lead of its articles.';
COMMENT ON COLUMN story_terms.weight IS 'Summed normalised term frequency (IDF is applied when comparing).';

CREATE TABLE story_entities (
    story_id   VARCHAR NOT NULL,
    entity_key VARCHAR NOT NULL,
    articles   INTEGER NOT NULL,
    PRIMARY KEY (story_id, entity_key)
);
COMMENT ON TABLE story_entities IS 'Entities mentioned by each story''s articles, compared with a new article''s entities.';
COMMENT ON COLUMN story_entities.story_id IS 'The story.';
COMMENT ON COLUMN story_entities.entity_key IS 'entities.entity_id where the entity linker ran, else the normalised name.';
COMMENT ON COLUMN story_entities.articles IS 'How many of the story''s articles mention it.';

CREATE TABLE story_vocabulary (
    kind VARCHAR NOT NULL,
    key  VARCHAR NOT NULL,
    df   INTEGER NOT NULL,
    PRIMARY KEY (kind, key)
);
COMMENT ON TABLE story_vocabulary IS 'Document frequencies over every clustered article, for IDF (the article count is warehouse_meta.story_articles).';
COMMENT ON COLUMN story_vocabulary.kind IS 'term or entity.';
COMMENT ON COLUMN story_vocabulary.key IS 'The term or entity key.';
COMMENT ON COLUMN story_vocabulary.df IS 'Clustered articles that contain it.';

CREATE TABLE events (
    event_id               VARCHAR PRIMARY KEY,
    article_id             VARCHAR NOT NULL,
    sentence_idx           INTEGER NOT NULL,
    start_char             INTEGER NOT NULL,
    end_char               INTEGER NOT NULL,
    trigger                VARCHAR NOT NULL,
    trigger_char           INTEGER NOT NULL,
    event_type             VARCHAR NOT NULL,
    quad_class             VARCHAR NOT NULL,
    mode                   VARCHAR,
    actor                  VARCHAR NOT NULL,
    actor_entity_id        VARCHAR,
    actor_country_code     VARCHAR,
    actor_sector           VARCHAR,
    recipient              VARCHAR,
    recipient_entity_id    VARCHAR,
    recipient_country_code VARCHAR,
    recipient_sector       VARCHAR,
    location               VARCHAR,
    location_entity_id     VARCHAR,
    lat                    DOUBLE,
    lon                    DOUBLE,
    event_date             DATE,
    date_text              VARCHAR,
    negated                BOOLEAN NOT NULL,
    hypothetical           BOOLEAN NOT NULL,
    future                 BOOLEAN NOT NULL,
    reported               BOOLEAN NOT NULL,
    confidence             DOUBLE NOT NULL,
    coder_version          VARCHAR NOT NULL,
    batch_key              VARCHAR NOT NULL,
    coded_at               TIMESTAMP NOT NULL
);
COMMENT ON TABLE events IS 'One coded action in a sentence (PLOVER): who did what to whom, where and when, with its evidence (article, sentence, character span) and the coder version. The first actor and recipient are repeated here for quick aggregation; event_actors lists them all.';
COMMENT ON COLUMN events.event_id IS 'Hash of article_id, sentence_idx, trigger_char and event_type: stable across re-runs of the same coder.';
COMMENT ON COLUMN events.article_id IS 'The article the event was coded from.';
COMMENT ON COLUMN events.sentence_idx IS 'Sentence of the stored parse (0-based over doc.sents, as entity_mentions.sentence_idx).';
COMMENT ON COLUMN events.start_char IS 'Start of the evidence (trigger, actors and recipients in the sentence), offset into articles.text.';
COMMENT ON COLUMN events.end_char IS 'End of the evidence (exclusive), offset into articles.text.';
COMMENT ON COLUMN events.trigger IS 'The words that report the action ("deployed", "carried out airstrikes").';
COMMENT ON COLUMN events.trigger_char IS 'Offset of the trigger word in articles.text.';
COMMENT ON COLUMN events.event_type IS 'PLOVER type: AGREE, CONSULT, SUPPORT, CONCEDE, COOPERATE, AID, RETREAT, REQUEST, ACCUSE, REJECT, THREATEN, PROTEST, SANCTION, MOBILIZE, COERCE, ASSAULT.';
COMMENT ON COLUMN events.quad_class IS 'verbal_cooperation, material_cooperation, verbal_conflict or material_conflict.';
COMMENT ON COLUMN events.mode IS 'PLOVER mode when the text makes it clear (MOBILIZE/police, ASSAULT/aerial…); NULL otherwise.';
COMMENT ON COLUMN events.actor IS 'Text of the first actor (source); pronouns are resolved (see event_actors.resolved_from).';
COMMENT ON COLUMN events.actor_entity_id IS 'entities.entity_id of the first actor, when linked.';
COMMENT ON COLUMN events.actor_country_code IS 'ISO 3166 alpha-2 country of the first actor, when known.';
COMMENT ON COLUMN events.actor_sector IS 'PLOVER sector of the first actor (GOV, MIL, COP, REB, …), when the text says it.';
COMMENT ON COLUMN events.recipient IS 'Text of the first recipient (target); NULL when the event names none.';
COMMENT ON COLUMN events.recipient_entity_id IS 'entities.entity_id of the first recipient, when linked.';
COMMENT ON COLUMN events.recipient_country_code IS 'ISO 3166 alpha-2 country of the first recipient, when known.';
COMMENT ON COLUMN events.recipient_sector IS 'PLOVER sector of the first recipient, when the text says it.';
COMMENT ON COLUMN events.location IS 'Text of the place where it happened, when the sentence names one.';
COMMENT ON COLUMN events.location_entity_id IS 'entities.entity_id of the place, when linked.';
COMMENT ON COLUMN events.lat IS 'Latitude of the place (from the linked entity).';
COMMENT ON COLUMN events.lon IS 'Longitude of the place (from the linked entity).';
COMMENT ON COLUMN events.event_date IS 'Day of the event when the text fixes it ("on Sunday" resolved against articles.published_at); NULL when unknown, never guessed.';
COMMENT ON COLUMN events.date_text IS 'The date expression the date was read from (or that could not be resolved).';
COMMENT ON COLUMN events.negated IS 'The text says it did not happen ("did not attack"). Filter these out to count events.';
COMMENT ON COLUMN events.hypothetical IS 'Conditional or possible ("if", "unless", "could").';
COMMENT ON COLUMN events.future IS 'Announced or planned ("will meet", "plans to").';
COMMENT ON COLUMN events.reported IS 'Reported speech: someone the article quotes says it ("Moscow said it had…", "according to").';
COMMENT ON COLUMN events.confidence IS 'Ordering score 0-1 (trigger kind, linked actor, recipient, hypotheticals lowered); not a calibrated probability.';
COMMENT ON COLUMN events.coder_version IS 'Coder code version and rules-file hash that made the row.';
COMMENT ON COLUMN events.batch_key IS 'Partition (batch) of the article.';
COMMENT ON COLUMN events.coded_at IS 'When (UTC).';

CREATE TABLE event_actors (
    event_id      VARCHAR NOT NULL,
    role          VARCHAR NOT NULL,
    position      INTEGER NOT NULL,
    text          VARCHAR NOT NULL,
    start_char    INTEGER NOT NULL,
    end_char      INTEGER NOT NULL,
    entity_id     VARCHAR,
    country_code  VARCHAR,
    sector        VARCHAR,
    resolved_from VARCHAR,
    PRIMARY KEY (event_id, role, position)
);
COMMENT ON TABLE event_actors IS 'Every actor and recipient of every event ("Russia and Turkey" are two rows), with its evidence span.';
COMMENT ON COLUMN event_actors.event_id IS 'The event.';
COMMENT ON COLUMN event_actors.role IS 'actor (source) or recipient (target).';
COMMENT ON COLUMN event_actors.position IS 'Order within the role, from 0.';
COMMENT ON COLUMN event_actors.text IS 'The noun phrase naming the participant.';
COMMENT ON COLUMN event_actors.start_char IS 'Start of the phrase in articles.text (for a resolved pronoun: of its antecedent).';
COMMENT ON COLUMN event_actors.end_char IS 'End of the phrase in articles.text (exclusive).';
COMMENT ON COLUMN event_actors.entity_id IS 'entities.entity_id when linked.';
COMMENT ON COLUMN event_actors.country_code IS 'ISO 3166 alpha-2 country, from the linked entity or the actor rules.';
COMMENT ON COLUMN event_actors.sector IS 'PLOVER sector (GOV, MIL, COP, REB, …) from the actor rules.';
COMMENT ON COLUMN event_actors.resolved_from IS 'The pronoun in the sentence this participant was resolved from ("it"), else NULL.';

CREATE TABLE article_event_coding (
    article_id    VARCHAR PRIMARY KEY,
    text_hash     VARCHAR NOT NULL,
    nlp_version   VARCHAR NOT NULL,
    coder_version VARCHAR NOT NULL,
    events        INTEGER NOT NULL,
    coded_at      TIMESTAMP NOT NULL
);
COMMENT ON TABLE article_event_coding IS 'Which parse of each article the event coder has read, and with which coder version: an article is coded again only when one of them changes.';
COMMENT ON COLUMN article_event_coding.article_id IS 'The article.';
COMMENT ON COLUMN article_event_coding.text_hash IS 'articles.text_hash of the coded text.';
COMMENT ON COLUMN article_event_coding.nlp_version IS 'article_nlp.nlp_version of the parse that was read.';
COMMENT ON COLUMN article_event_coding.coder_version IS 'Coder version that coded it.';
COMMENT ON COLUMN article_event_coding.events IS 'Events found (0 is a valid answer).';
COMMENT ON COLUMN article_event_coding.coded_at IS 'When (UTC).';
