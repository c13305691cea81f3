-- 013: analysts' corrections (the corrections file, pipelines/core/rules/corrections.yaml), kept as data
-- beside what the pipeline computed. Event corrections are an overlay: the coder's rows in events stay as
-- coded, event_corrections says what an analyst changed, and the views analysts count with
-- (corrected_events, countable_events …) apply it. Story corrections move articles, so they are applied in
-- place and the moved rows say by which entry.

CREATE TABLE corrections (
    correction_id VARCHAR PRIMARY KEY,
    section       VARCHAR NOT NULL,
    action        VARCHAR NOT NULL,
    position      INTEGER NOT NULL,
    entry         VARCHAR NOT NULL,
    note          VARCHAR,
    status        VARCHAR NOT NULL,
    matched       INTEGER NOT NULL,
    detail        VARCHAR,
    checked_at    TIMESTAMP NOT NULL
);
COMMENT ON TABLE corrections IS 'Every entry of the corrections file and what it did on the last run: applied, or stale (it matches nothing: the article, sentence or event it names is not there any more), partial, or ambiguous (an event fix that matches more than one event and is applied to none). Stale entries are kept and reported, never dropped silently.';
COMMENT ON COLUMN corrections.correction_id IS 'Hash of the entry''s section and content: the id the corrected rows cite (corrected_by).';
COMMENT ON COLUMN corrections.section IS 'events or stories: the section of the file.';
COMMENT ON COLUMN corrections.action IS 'drop or change (events), merge or split (stories).';
COMMENT ON COLUMN corrections.position IS 'Place of the entry in its section of the file, from 1.';
COMMENT ON COLUMN corrections.entry IS 'The entry as written (JSON).';
COMMENT ON COLUMN corrections.note IS 'The analyst''s note on the entry (note:), if any.';
COMMENT ON COLUMN corrections.status IS 'applied, partial (some of the articles it names are missing), stale (matches nothing) or ambiguous (an event fix matching several events; applied to none).';
COMMENT ON COLUMN corrections.matched IS 'Rows it applies to: events for event fixes, the articles it lists for story fixes.';
COMMENT ON COLUMN corrections.detail IS 'Why it is not (fully) applied: what could not be found.';
COMMENT ON COLUMN corrections.checked_at IS 'When it was last matched (UTC).';

CREATE TABLE event_corrections (
    event_id            VARCHAR PRIMARY KEY,
    corrected_by        VARCHAR[] NOT NULL,
    dropped             BOOLEAN NOT NULL,
    changed             VARCHAR[] NOT NULL,
    event_type          VARCHAR,
    quad_class          VARCHAR,
    mode                VARCHAR,
    actor               VARCHAR,
    actor_entity_id     VARCHAR,
    actor_country_code  VARCHAR,
    actor_sector        VARCHAR,
    recipient           VARCHAR,
    recipient_entity_id VARCHAR,
    recipient_country_code VARCHAR,
    recipient_sector    VARCHAR,
    location            VARCHAR,
    location_entity_id  VARCHAR,
    lat                 DOUBLE,
    lon                 DOUBLE,
    event_date          DATE,
    applied_at          TIMESTAMP NOT NULL
);
COMMENT ON TABLE event_corrections IS 'Analysts'' fixes of coded events, one row per corrected event: dropped, or new values for the fields listed in changed. Recomputed from the corrections file and the current events on every run that changes either; corrected_events applies it.';
COMMENT ON COLUMN event_corrections.event_id IS 'The corrected event (events.event_id, as coded now).';
COMMENT ON COLUMN event_corrections.corrected_by IS 'The corrections (corrections.correction_id) applied to it, in file order.';
COMMENT ON COLUMN event_corrections.dropped IS 'An analyst says it is not an event: corrected_events and every count leave it out.';
COMMENT ON COLUMN event_corrections.changed IS 'What was changed: type, mode, actor, recipient, location, date; the columns of each hold the new values.';
COMMENT ON COLUMN event_corrections.event_type IS 'New PLOVER type (changed has type).';
COMMENT ON COLUMN event_corrections.quad_class IS 'Quad class of the new type.';
COMMENT ON COLUMN event_corrections.mode IS 'New mode (changed has mode; NULL clears it).';
COMMENT ON COLUMN event_corrections.actor IS 'New first actor (changed has actor; NULL: no actor).';
COMMENT ON COLUMN event_corrections.actor_entity_id IS 'Its entity, when the correction names one.';
COMMENT ON COLUMN event_corrections.actor_country_code IS 'Its country, from the entity or the correction.';
COMMENT ON COLUMN event_corrections.actor_sector IS 'Its sector, as the correction gives it.';
COMMENT ON COLUMN event_corrections.recipient IS 'New first recipient (changed has recipient; NULL: none).';
COMMENT ON COLUMN event_corrections.recipient_entity_id IS 'Its entity, when the correction names one.';
COMMENT ON COLUMN event_corrections.recipient_country_code IS 'Its country, from the entity or the correction.';
COMMENT ON COLUMN event_corrections.recipient_sector IS 'Its sector, as the correction gives it.';
COMMENT ON COLUMN event_corrections.location IS 'New place (changed has location; NULL: none).';
COMMENT ON COLUMN event_corrections.location_entity_id IS 'Its entity, when the correction names one.';
COMMENT ON COLUMN event_corrections.lat IS 'Its latitude, from the entity.';
COMMENT ON COLUMN event_corrections.lon IS 'Its longitude, from the entity.';
COMMENT ON COLUMN event_corrections.event_date IS 'New day (changed has date; NULL: unknown).';
COMMENT ON COLUMN event_corrections.applied_at IS 'When it was computed (UTC).';

ALTER TABLE article_stories ADD COLUMN corrected_by VARCHAR;
COMMENT ON COLUMN article_stories.corrected_by IS 'The story correction (corrections.correction_id) that put the article in this story, when an analyst''s merge or split did; NULL when the clusterer did.';
