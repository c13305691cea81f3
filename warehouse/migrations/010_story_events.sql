-- 010: the events of each story, compared with a new article's events when it is clustered (two reports of
-- one happening code its events alike). Kept like story_entities; their document frequencies live in
-- story_vocabulary under kind 'event'.

CREATE TABLE story_events (
    story_id  VARCHAR NOT NULL,
    event_key VARCHAR NOT NULL,
    articles  INTEGER NOT NULL,
    PRIMARY KEY (story_id, event_key)
);
COMMENT ON TABLE story_events IS 'Event keys of each story''s articles, compared with a new article''s event keys: an event type with a linked actor, recipient or place, or a day ("ASSAULT|place:<entity_id>|day:2019-10-14").';
COMMENT ON COLUMN story_events.story_id IS 'The story.';
COMMENT ON COLUMN story_events.event_key IS 'PLOVER type and one thing the event names: actor:, recipient:, place: (entity ids) or day: (ISO date), or place and day together.';
COMMENT ON COLUMN story_events.articles IS 'How many of the story''s articles have an event with this key.';
COMMENT ON COLUMN story_vocabulary.kind IS 'term, entity or event (an event key, see story_events).';
