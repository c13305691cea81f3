-- 009: events whose actor the text does not name ("civilians were killed in bombings", "clashes erupted")
-- are coded with actor NULL, and every actor says how it was found: named in the text, a generic sector
-- noun ("gunmen", "police"), resolved from a pronoun or generic phrase ("he", "the two leaders") to an
-- entity named earlier in the article, or none.

ALTER TABLE events ALTER COLUMN actor DROP NOT NULL;
ALTER TABLE events ADD COLUMN actor_source VARCHAR;
ALTER TABLE event_actors ADD COLUMN source VARCHAR;

COMMENT ON COLUMN events.actor IS 'Text of the first actor (source); NULL when the text names none (actor_source = ''none''). Pronouns and generic phrases are resolved where the article allows (see event_actors.resolved_from).';
COMMENT ON COLUMN events.actor_source IS 'How the first actor was found: named (a name in the actor phrase: "Russia", "President Putin"), sector (a generic noun with a PLOVER sector and no name: "gunmen", "security forces"), coreference (a pronoun or generic phrase such as "he", "the ministry", "the two leaders" resolved to what the article named earlier), none (no actor in the text: "civilians were killed in bombings", "an explosion hit the market"). NULL only on rows coded before this column existed (re-coded at the next run).';
COMMENT ON COLUMN event_actors.source IS 'How this participant was found: named, sector or coreference (see events.actor_source).';
COMMENT ON COLUMN event_actors.resolved_from IS 'The pronoun or generic phrase this participant was resolved from ("it", "the two leaders"), else NULL.';
