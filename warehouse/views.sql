-- Analyst-facing views, re-applied whenever this file changes (no migration needed).
-- Column comments not written here are inherited from the same column of the underlying table.

CREATE OR REPLACE VIEW articles AS
SELECT a.*,
       d.dup_group_id,
       d.canonical_article_id,
       d.similarity_to_canonical,
       d.dup_method,
       d.corrected_by AS dup_corrected_by,
       coalesce(s.story_id, c.story_id) AS story_id
FROM articles_base AS a
LEFT JOIN article_dups AS d USING (article_id)
LEFT JOIN article_stories AS s ON s.article_id = a.article_id
LEFT JOIN article_stories AS c ON c.article_id = d.canonical_article_id;
COMMENT ON VIEW articles IS 'One row per distinct article (exact duplicates collapsed): cleaned headline, text, date, language, its near-duplicate group and its story. Start here.';
COMMENT ON COLUMN articles.dup_corrected_by IS 'The near-duplicate correction (corrections.correction_id) that put the article in its group (article_dups.corrected_by); NULL when the grouping did.';
COMMENT ON COLUMN articles.story_id IS 'The story (stories.story_id) the article reports; a near-duplicate copy has its canonical member''s story. NULL until clustered (non-English articles are not).';

CREATE OR REPLACE VIEW canonical_articles AS
SELECT a.*, coalesce(g.size, 1) AS dup_group_size
FROM articles AS a
LEFT JOIN dup_groups AS g USING (dup_group_id)
WHERE a.dup_method IS NULL OR a.dup_method = 'canonical';
COMMENT ON VIEW canonical_articles IS 'One row per distinct report: the canonical member of each near-duplicate group (articles not grouped yet count as their own). Count these for "how many reports".';
COMMENT ON COLUMN canonical_articles.dup_corrected_by IS 'The near-duplicate correction (corrections.correction_id) that made this report''s group, when an analyst''s split did; NULL otherwise.';
COMMENT ON COLUMN canonical_articles.dup_group_size IS 'How many articles carry this report (the group size; 1 when it has no copy).';
COMMENT ON COLUMN canonical_articles.updated_at IS 'When the article''s row was last written (UTC).';

CREATE OR REPLACE VIEW entity_mentions AS
SELECT m.article_id, l.entity_id, m.surface, m.label, m.start_char, m.end_char, m.sentence_idx, m.entity_type,
       m.country_code, m.source, m.entity_key, m.surface_key
FROM entity_mentions_base AS m
LEFT JOIN entity_links AS l USING (entity_key, surface_key);
COMMENT ON VIEW entity_mentions IS 'One row per mention of an entity in an article (join entities on entity_id). Count mentions per entity, entities per article, co-occurrence within a sentence.';
COMMENT ON COLUMN entity_mentions.entity_id IS 'The entity (entities.entity_id) the mention refers to, after the cross-article rules and overrides.';

CREATE OR REPLACE VIEW story_articles AS
SELECT
    s.story_id,
    s.title AS story_title,
    row_number() OVER (
        PARTITION BY s.story_id ORDER BY coalesce(a.published_at, a.first_seen_at), a.article_id
    ) AS position,
    a.article_id,
    a.title,
    a.published_at,
    a.first_seen_at,
    m.similarity,
    m.opened_story,
    m.corrected_by
FROM stories AS s
JOIN article_stories AS m USING (story_id)
JOIN articles_base AS a USING (article_id);
COMMENT ON VIEW story_articles IS 'Each story''s articles in time order (stated publication time, else when the pipeline first saw them).';
COMMENT ON COLUMN story_articles.story_title IS 'The story''s representative title (stories.title).';
COMMENT ON COLUMN story_articles.position IS 'Place of the article in its story''s timeline, from 1.';

-- Events with the analysts' corrections applied (event_corrections, written from the corrections file): the
-- coder's rows in events stay as coded, every count reads these.
CREATE OR REPLACE VIEW corrected_events AS
SELECT e.* REPLACE (
           CASE WHEN list_contains(c.changed, 'type') THEN c.event_type ELSE e.event_type END AS event_type,
           CASE WHEN list_contains(c.changed, 'type') THEN c.quad_class ELSE e.quad_class END AS quad_class,
           CASE WHEN list_contains(c.changed, 'mode') THEN c.mode ELSE e.mode END AS mode,
           CASE WHEN list_contains(c.changed, 'actor') THEN c.actor ELSE e.actor END AS actor,
           CASE WHEN list_contains(c.changed, 'actor') THEN c.actor_entity_id ELSE e.actor_entity_id END AS actor_entity_id,
           CASE WHEN list_contains(c.changed, 'actor') THEN c.actor_country_code ELSE e.actor_country_code END AS actor_country_code,
           CASE WHEN list_contains(c.changed, 'actor') THEN c.actor_sector ELSE e.actor_sector END AS actor_sector,
           CASE WHEN list_contains(c.changed, 'actor') THEN 'correction' ELSE e.actor_source END AS actor_source,
           CASE WHEN list_contains(c.changed, 'recipient') THEN c.recipient ELSE e.recipient END AS recipient,
           CASE WHEN list_contains(c.changed, 'recipient') THEN c.recipient_entity_id ELSE e.recipient_entity_id END AS recipient_entity_id,
           CASE WHEN list_contains(c.changed, 'recipient') THEN c.recipient_country_code ELSE e.recipient_country_code END AS recipient_country_code,
           CASE WHEN list_contains(c.changed, 'recipient') THEN c.recipient_sector ELSE e.recipient_sector END AS recipient_sector,
           CASE WHEN list_contains(c.changed, 'location') THEN c.location ELSE e.location END AS location,
           CASE WHEN list_contains(c.changed, 'location') THEN c.location_entity_id ELSE e.location_entity_id END AS location_entity_id,
           CASE WHEN list_contains(c.changed, 'location') THEN c.lat ELSE e.lat END AS lat,
           CASE WHEN list_contains(c.changed, 'location') THEN c.lon ELSE e.lon END AS lon,
           CASE WHEN list_contains(c.changed, 'date') THEN c.event_date ELSE e.event_date END AS event_date
       ),
       c.corrected_by
FROM events AS e
LEFT JOIN event_corrections AS c USING (event_id)
WHERE c.dropped IS NOT TRUE;
COMMENT ON VIEW corrected_events IS 'The coded events with the analysts'' corrections applied (the corrections file, see ANALYSTS.md, Corrections): events an analyst dropped are left out, corrected fields hold the analyst''s values. countable_events and every count build on this; events keeps what the coder said.';
COMMENT ON COLUMN corrected_events.actor_source IS 'How the first actor was found: named, sector, coreference or none as in events.actor_source, or correction (an analyst''s correction set it).';
COMMENT ON COLUMN corrected_events.corrected_by IS 'The corrections (corrections.correction_id) applied to this event; NULL when it is as coded.';

CREATE OR REPLACE VIEW corrected_event_actors AS
SELECT a.*
FROM event_actors AS a
LEFT JOIN event_corrections AS c USING (event_id)
WHERE c.event_id IS NULL OR (NOT c.dropped AND NOT list_contains(c.changed, a.role))
UNION ALL BY NAME
SELECT c.event_id, r.role, 0 AS position,
       CASE r.role WHEN 'actor' THEN c.actor ELSE c.recipient END AS text,
       e.start_char, e.end_char,
       CASE r.role WHEN 'actor' THEN c.actor_entity_id ELSE c.recipient_entity_id END AS entity_id,
       CASE r.role WHEN 'actor' THEN c.actor_country_code ELSE c.recipient_country_code END AS country_code,
       CASE r.role WHEN 'actor' THEN c.actor_sector ELSE c.recipient_sector END AS sector,
       NULL AS resolved_from,
       'correction' AS source
FROM event_corrections AS c
JOIN events AS e USING (event_id)
CROSS JOIN (VALUES ('actor'), ('recipient')) AS r(role)
WHERE NOT c.dropped AND list_contains(c.changed, r.role)
  AND (CASE r.role WHEN 'actor' THEN c.actor ELSE c.recipient END) IS NOT NULL;
COMMENT ON VIEW corrected_event_actors IS 'Every actor and recipient of corrected_events: as coded, except where an analyst''s correction replaced a role (then the corrected participant, spanning the event''s evidence).';

-- Full-text search (tables: migration 007). Indexing and queries split words the same way, whatever the
-- script: words are runs of letters, digits and marks; Chinese, Japanese and Korean, written without spaces
-- between words, are indexed as overlapping two-character pieces (as Lucene's CJK analyser does), so a
-- two-character word finds itself inside a longer run. Stems come from the word's own script: Porter for
-- Latin, Snowball for Cyrillic (Russian), Greek and Arabic; other scripts are matched as written.
CREATE OR REPLACE MACRO search_tokens(input) AS
list_filter(flatten(list_transform(
    regexp_extract_all(
        regexp_replace(lower(strip_accents(coalesce(input, ''))),
                       '([\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]+)', ' \1 ', 'g'),
        '[\p{L}\p{N}\p{M}]+'),
    w -> CASE
        WHEN regexp_matches(w, '^[\p{Han}\p{Hiragana}\p{Katakana}\p{Hangul}]') THEN
            CASE WHEN length(w) = 1 THEN [w] ELSE list_transform(range(1, length(w)), i -> substr(w, i, 2)) END
        WHEN length(w) < 2 OR list_contains([
    'a', 'about', 'above', 'after', 'again', 'against', 'all', 'am', 'an', 'and', 'any', 'are', 'as', 'at',
    'be', 'because', 'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by', 'can', 'could',
    'did', 'do', 'does', 'doing', 'down', 'during', 'each', 'few', 'for', 'from', 'further', 'had', 'has',
    'have', 'having', 'he', 'her', 'here', 'hers', 'herself', 'him', 'himself', 'his', 'how', 'i', 'if',
    'in', 'into', 'is', 'it', 'its', 'itself', 'just', 'me', 'more', 'most', 'my', 'myself', 'no', 'nor',
    'not', 'now', 'of', 'off', 'on', 'once', 'only', 'or', 'other', 'our', 'ours', 'ourselves', 'out',
    'over', 'own', 'same', 'she', 'should', 'so', 'some', 'such', 'than', 'that', 'the', 'their', 'theirs',
    'them', 'themselves', 'then', 'there', 'these', 'they', 'this', 'those', 'through', 'to', 'too',
    'under', 'until', 'up', 'very', 'was', 'we', 'were', 'what', 'when', 'where', 'which', 'while', 'who',
    'whom', 'why', 'will', 'with', 'would', 'you', 'your', 'yours', 'yourself', 'yourselves', 'said', 'also'
                ], w) THEN []
        WHEN regexp_matches(w, '^\p{Cyrillic}+$') THEN [stem(w, 'russian')]
        WHEN regexp_matches(w, '^\p{Greek}+$') THEN [stem(w, 'greek')]
        WHEN regexp_matches(w, '^\p{Arabic}+$') THEN [stem(w, 'arabic')]
        ELSE [stem(w, 'porter')]
    END)), t -> t <> '');
COMMENT ON MACRO search_tokens IS 'The terms full-text search sees in a text: lower case, accents folded, common English words dropped; Porter stems for Latin script, Snowball stems for Cyrillic, Greek and Arabic, two-character pieces for Chinese, Japanese and Korean.';

-- What is indexed of an article: its title, its standfirst unless the body already holds it, its body.
CREATE OR REPLACE MACRO search_text(title, standfirst, body) AS
concat_ws(' ', title, CASE WHEN standfirst IS NOT NULL AND contains(body, standfirst) THEN NULL ELSE standfirst END, body);
COMMENT ON MACRO search_text IS 'The text of an article that search indexes: title, standfirst (when not already part of the body) and body.';

CREATE OR REPLACE MACRO search(query) AS TABLE
WITH q AS (SELECT DISTINCT unnest(search_tokens(query)) AS term),
     stats AS (SELECT count(*) AS n, avg(length) AS avgdl FROM search_docs),
     hits AS (SELECT p.article_id, p.term, p.tf FROM search_postings AS p JOIN q USING (term)),
     df AS (SELECT term, count(*) AS df FROM hits GROUP BY term),
     scored AS (
         SELECT h.article_id,
                sum(ln(1 + (s.n - df.df + 0.5) / (df.df + 0.5))
                    * h.tf * 2.2 / (h.tf + 1.2 * (0.25 + 0.75 * d.length / s.avgdl))) AS score,
                count(*) AS matched_terms
         FROM hits AS h JOIN df USING (term) JOIN search_docs AS d USING (article_id), stats AS s
         GROUP BY h.article_id)
SELECT a.article_id, a.title, a.published_at, round(sc.score, 4) AS score, sc.matched_terms, a.document_id
FROM scored AS sc
JOIN articles AS a USING (article_id)
ORDER BY sc.score DESC, a.article_id;
COMMENT ON MACRO TABLE search IS 'Full-text search over articles (title, standfirst, text), BM25-ranked, best first, with columns article_id, title, published_at, score, matched_terms, document_id: `SELECT * FROM search(''military police'')`. For an exact phrase, join articles and filter its text: `SELECT s.* FROM search(''military police'') AS s JOIN articles AS a USING (article_id) WHERE a.text ILIKE ''%military police%''`.';

-- Recent reports, by base tables only: a question about the last weeks then costs the same in a warehouse
-- of years (the brief asks it on every run). Recent by when the pipeline took the report in: publication
-- dates are missing from many inputs, and a backfilled archive is news to the one who just loaded it.
CREATE OR REPLACE MACRO recent_reports(days) AS TABLE
SELECT a.article_id, coalesce(a.published_at, a.first_seen_at) AS article_time,
       CASE WHEN a.published_at IS NOT NULL THEN 'published_at' ELSE 'first_seen_at' END AS time_source
FROM articles_base AS a
WHERE a.first_seen_at >= (SELECT max(first_seen_at) FROM articles_base) - to_days(CAST(days AS INTEGER))
  AND a.article_id NOT IN (SELECT article_id FROM article_dups WHERE dup_method <> 'canonical');
COMMENT ON MACRO TABLE recent_reports IS 'The reports (canonical articles) the pipeline first saw in the `days` days up to the latest one it saw, with their time (publication, else first seen; time_source says which): `SELECT count(*) FROM events JOIN recent_reports(7) USING (article_id)`.';

-- The countable events of the recent reports (countable_events' rule and day), defined once for the
-- brief's charts and lists.
CREATE OR REPLACE MACRO recent_events(days) AS TABLE
SELECT e.*, coalesce(e.event_date, CAST(r.article_time AS DATE)) AS day,
       CASE WHEN e.event_date IS NOT NULL THEN 'event_date' ELSE r.time_source END AS day_source
FROM corrected_events AS e
JOIN recent_reports(days) AS r USING (article_id)
WHERE NOT e.negated AND NOT e.hypothetical;
COMMENT ON MACRO TABLE recent_events IS 'The countable events (not negated or hypothetical) of recent_reports(`days`), with their day and day_source as in countable_events: `SELECT event_type, count(*) FROM recent_events(7) GROUP BY 1`.';

-- ---------------------------------------------------------------------------------------------------------
-- Views for the questions analysts ask. Counts are over canonical articles (one per near-duplicate group),
-- so a wire story carried by ten sites counts once; warehouse/queries/ has worked examples of each.

CREATE OR REPLACE VIEW countable_events AS
SELECT e.*,
       coalesce(e.event_date, CAST(a.published_at AS DATE), CAST(a.first_seen_at AS DATE)) AS day,
       CASE WHEN e.event_date IS NOT NULL THEN 'event_date'
            WHEN a.published_at IS NOT NULL THEN 'published_at'
            ELSE 'first_seen_at' END AS day_source,
       a.story_id,
       a.dup_group_id
FROM corrected_events AS e
JOIN canonical_articles AS a USING (article_id)
WHERE NOT e.negated AND NOT e.hypothetical;
COMMENT ON VIEW countable_events IS 'The events to count, with the analysts'' corrections applied (corrected_events): from canonical articles only (copies of a report carry the same events), without negated ("did not attack") or hypothetical ("could attack") ones, each with the best-known day it happened. Future and reported events stay: filter on those flags as the question needs.';
COMMENT ON COLUMN countable_events.day IS 'Day of the event: event_date when the text fixes it, else the article''s publication date, else the day the pipeline first saw the article (day_source says which).';
COMMENT ON COLUMN countable_events.day_source IS 'Where day comes from: event_date, published_at or first_seen_at (the article states no date: the ingest day stands in).';
COMMENT ON COLUMN countable_events.corrected_by IS 'The corrections (corrections.correction_id) applied to this event; NULL when it is as coded.';
COMMENT ON COLUMN countable_events.story_id IS 'The story (stories.story_id) of the event''s article.';

CREATE OR REPLACE VIEW events_daily AS
SELECT day, event_type, quad_class,
       count(*) AS events,
       count(*) FILTER (WHERE day_source = 'event_date') AS dated_events,
       count(DISTINCT article_id) AS reports
FROM countable_events
GROUP BY ALL;
COMMENT ON VIEW events_daily IS 'Events per day, PLOVER type and quad class (countable_events): the time series behind "what happened when".';
COMMENT ON COLUMN events_daily.day IS 'Day of the events (countable_events.day: event date, else publication date, else ingest day).';
COMMENT ON COLUMN events_daily.events IS 'Countable events of this type on this day.';
COMMENT ON COLUMN events_daily.dated_events IS 'Of those, events whose day the text itself fixes (day_source = event_date).';
COMMENT ON COLUMN events_daily.reports IS 'Distinct reports (canonical articles) the events come from.';

CREATE OR REPLACE VIEW event_dyads AS
SELECT e.event_id, e.article_id, e.story_id, e.day, e.event_type, e.quad_class, e.mode,
       a.text AS actor, a.entity_id AS actor_entity_id, ae.name AS actor_name,
       a.country_code AS actor_country_code, a.sector AS actor_sector,
       r.text AS recipient, r.entity_id AS recipient_entity_id, re.name AS recipient_name,
       r.country_code AS recipient_country_code, r.sector AS recipient_sector
FROM countable_events AS e
JOIN corrected_event_actors AS a ON a.event_id = e.event_id AND a.role = 'actor'
JOIN corrected_event_actors AS r ON r.event_id = e.event_id AND r.role = 'recipient'
LEFT JOIN entities AS ae ON ae.entity_id = a.entity_id
LEFT JOIN entities AS re ON re.entity_id = r.entity_id;
COMMENT ON VIEW event_dyads IS 'Who did what to whom: one row per countable event, actor and recipient ("Russia and Turkey accused the US" is two rows). Events without a recipient are not dyads and are left out.';
COMMENT ON COLUMN event_dyads.day IS 'Day of the event (countable_events.day).';
COMMENT ON COLUMN event_dyads.story_id IS 'The story of the event''s article.';
COMMENT ON COLUMN event_dyads.actor IS 'The actor (source) as written (event_actors.text).';
COMMENT ON COLUMN event_dyads.actor_entity_id IS 'The actor''s entity (entities.entity_id), when linked.';
COMMENT ON COLUMN event_dyads.actor_name IS 'The actor''s entity name (entities.name), when linked.';
COMMENT ON COLUMN event_dyads.actor_country_code IS 'ISO 3166 alpha-2 country of the actor, when known.';
COMMENT ON COLUMN event_dyads.actor_sector IS 'PLOVER sector of the actor (GOV, MIL, COP, REB, …), when the text says it.';
COMMENT ON COLUMN event_dyads.recipient IS 'The recipient (target) as written (event_actors.text).';
COMMENT ON COLUMN event_dyads.recipient_entity_id IS 'The recipient''s entity (entities.entity_id), when linked.';
COMMENT ON COLUMN event_dyads.recipient_name IS 'The recipient''s entity name (entities.name), when linked.';
COMMENT ON COLUMN event_dyads.recipient_country_code IS 'ISO 3166 alpha-2 country of the recipient, when known.';
COMMENT ON COLUMN event_dyads.recipient_sector IS 'PLOVER sector of the recipient, when the text says it.';

CREATE OR REPLACE VIEW actor_recipient_counts AS
WITH sides AS (
    SELECT 'country' AS level, d.actor_country_code AS actor_id, coalesce(ac.name, d.actor_country_code) AS actor,
           d.recipient_country_code AS recipient_id, coalesce(rc.name, d.recipient_country_code) AS recipient,
           d.quad_class, d.event_type, d.event_id, d.article_id, d.day
    FROM event_dyads AS d
    LEFT JOIN entities AS ac ON ac.type = 'COUNTRY' AND ac.country_code = d.actor_country_code
    LEFT JOIN entities AS rc ON rc.type = 'COUNTRY' AND rc.country_code = d.recipient_country_code
    WHERE d.actor_country_code IS NOT NULL AND d.recipient_country_code IS NOT NULL
    UNION ALL
    SELECT 'entity', actor_entity_id, actor_name, recipient_entity_id, recipient_name,
           quad_class, event_type, event_id, article_id, day
    FROM event_dyads
    WHERE actor_entity_id IS NOT NULL AND recipient_entity_id IS NOT NULL
)
SELECT level, actor_id, actor, recipient_id, recipient, quad_class, event_type,
       count(DISTINCT event_id) AS events,
       count(DISTINCT article_id) AS reports,
       min(day) AS first_day,
       max(day) AS last_day
FROM sides
GROUP BY ALL;
COMMENT ON VIEW actor_recipient_counts IS 'Actor → recipient: how many countable events of each type, in how many reports, first and last day, at two levels: country (WHERE level = ''country'': ISO codes) and entity (people, organisations, countries, places). Pairs where either side is unknown at that level are left out.';
COMMENT ON COLUMN actor_recipient_counts.level IS 'country (actor and recipient countries) or entity (their linked entities).';
COMMENT ON COLUMN actor_recipient_counts.actor_id IS 'Country level: ISO 3166 alpha-2 code; entity level: entities.entity_id.';
COMMENT ON COLUMN actor_recipient_counts.actor IS 'The actor country''s or entity''s name (a country not named in any article: its code).';
COMMENT ON COLUMN actor_recipient_counts.recipient_id IS 'Country level: ISO 3166 alpha-2 code; entity level: entities.entity_id.';
COMMENT ON COLUMN actor_recipient_counts.recipient IS 'The recipient country''s or entity''s name (a country not named in any article: its code).';
COMMENT ON COLUMN actor_recipient_counts.events IS 'Countable events with this actor, recipient and type.';
COMMENT ON COLUMN actor_recipient_counts.reports IS 'Distinct reports (canonical articles) they come from.';
COMMENT ON COLUMN actor_recipient_counts.first_day IS 'Earliest day of those events.';
COMMENT ON COLUMN actor_recipient_counts.last_day IS 'Latest day of those events.';

CREATE OR REPLACE VIEW entity_cooccurrence AS
WITH mentioned AS (
    SELECT DISTINCT m.article_id, m.entity_id, m.sentence_idx
    FROM entity_mentions AS m
    JOIN canonical_articles AS c USING (article_id)
    WHERE m.entity_id IS NOT NULL
),
pairs AS (
    SELECT a.entity_id, b.entity_id AS other_entity_id, a.article_id, a.sentence_idx,
           a.sentence_idx = b.sentence_idx AS same_sentence
    FROM mentioned AS a
    JOIN mentioned AS b ON a.article_id = b.article_id AND a.entity_id <> b.entity_id
)
SELECT p.entity_id, e.name AS entity, e.type AS entity_type,
       p.other_entity_id, o.name AS other_entity, o.type AS other_entity_type,
       count(DISTINCT p.article_id) AS reports,
       count(DISTINCT (p.article_id, p.sentence_idx)) FILTER (WHERE p.same_sentence) AS sentences
FROM pairs AS p
JOIN entities AS e ON e.entity_id = p.entity_id
JOIN entities AS o ON o.entity_id = p.other_entity_id
GROUP BY ALL;
COMMENT ON VIEW entity_cooccurrence IS 'Entities named together: one row per ordered pair (each pair appears from both sides, so WHERE entity = ''Turkey'' lists its partners), counted over distinct reports and over sentences. Filter before sorting: the view pairs every mention of every article.';
COMMENT ON COLUMN entity_cooccurrence.entity_id IS 'One entity of the pair (entities.entity_id).';
COMMENT ON COLUMN entity_cooccurrence.entity IS 'Its name (entities.name).';
COMMENT ON COLUMN entity_cooccurrence.entity_type IS 'Its type (entities.type).';
COMMENT ON COLUMN entity_cooccurrence.other_entity_id IS 'The other entity (entities.entity_id).';
COMMENT ON COLUMN entity_cooccurrence.other_entity IS 'Its name.';
COMMENT ON COLUMN entity_cooccurrence.other_entity_type IS 'Its type.';
COMMENT ON COLUMN entity_cooccurrence.reports IS 'Distinct reports (canonical articles) that mention both.';
COMMENT ON COLUMN entity_cooccurrence.sentences IS 'Sentences that mention both (a closer tie than sharing an article).';

CREATE OR REPLACE VIEW story_sources AS
SELECT a.story_id,
       coalesce(a.site_name, a.agency, regexp_extract(a.url, '^[a-zA-Z]+://(?:www\.)?([^/:?#]+)', 1), d.uri) AS source,
       count(*) AS articles,
       count(*) FILTER (WHERE a.dup_method IS NULL OR a.dup_method = 'canonical') AS original_reports,
       min(coalesce(a.published_at, a.first_seen_at)) AS first_at
FROM articles AS a
JOIN documents AS d USING (document_id)
WHERE a.story_id IS NOT NULL
GROUP BY ALL;
COMMENT ON VIEW story_sources IS 'Who carried each story: one row per story and source (site name, else news agency, else the URL''s host, else the seed file), with near-duplicate copies included, so a story''s independent reports and its syndication show side by side.';
COMMENT ON COLUMN story_sources.story_id IS 'The story (stories.story_id).';
COMMENT ON COLUMN story_sources.source IS 'Who published: articles.site_name, else articles.agency, else the host of articles.url, else documents.uri (a seed file).';
COMMENT ON COLUMN story_sources.articles IS 'Articles of the story from this source, copies included.';
COMMENT ON COLUMN story_sources.original_reports IS 'Of those, articles that are their report''s canonical member: 0 for a source that only republished copies of others'' reports.';
COMMENT ON COLUMN story_sources.first_at IS 'When this source first carried the story (publication time, else first seen).';

CREATE OR REPLACE VIEW story_timeline AS
WITH items AS (
    SELECT story_id, story_title, coalesce(published_at, first_seen_at) AS happened_at,
           CASE WHEN published_at IS NOT NULL THEN 'published_at' ELSE 'first_seen_at' END AS time_source,
           'article' AS kind, article_id, NULL AS event_id, title AS what,
           NULL AS event_type, NULL AS quad_class, NULL AS location
    FROM story_articles
    UNION ALL
    SELECT s.story_id, s.story_title,
           coalesce(CAST(e.event_date AS TIMESTAMP), s.published_at, s.first_seen_at),
           CASE WHEN e.event_date IS NOT NULL THEN 'event_date'
                WHEN s.published_at IS NOT NULL THEN 'published_at' ELSE 'first_seen_at' END,
           'event', e.article_id, e.event_id,
           e.actor || ' ' || e.event_type || coalesce(' → ' || e.recipient, '') || coalesce(' in ' || e.location, ''),
           e.event_type, e.quad_class, e.location
    FROM story_articles AS s
    JOIN countable_events AS e USING (article_id)
)
SELECT story_id, story_title,
       row_number() OVER (PARTITION BY story_id ORDER BY happened_at, kind, article_id, event_id) AS position,
       happened_at, time_source, kind, article_id, event_id, what, event_type, quad_class, location
FROM items;
COMMENT ON VIEW story_timeline IS 'A story told in time order: its articles and their countable events, each at the best-known time (events the text dates come before the articles that report them).';
COMMENT ON COLUMN story_timeline.story_title IS 'The story''s representative title (stories.title).';
COMMENT ON COLUMN story_timeline.position IS 'Place in the story''s timeline, from 1.';
COMMENT ON COLUMN story_timeline.happened_at IS 'When: an article''s publication time (else when first seen); an event''s date (else its article''s time).';
COMMENT ON COLUMN story_timeline.time_source IS 'Where happened_at comes from: event_date, published_at or first_seen_at.';
COMMENT ON COLUMN story_timeline.kind IS 'article or event.';
COMMENT ON COLUMN story_timeline.article_id IS 'The article (for an event: the article it was coded from).';
COMMENT ON COLUMN story_timeline.event_id IS 'The event (events.event_id); NULL for an article.';
COMMENT ON COLUMN story_timeline.what IS 'The article''s headline, or the event as "actor TYPE → recipient in place".';
COMMENT ON COLUMN story_timeline.event_type IS 'PLOVER type of an event; NULL for an article.';
COMMENT ON COLUMN story_timeline.quad_class IS 'Quad class of an event; NULL for an article.';
COMMENT ON COLUMN story_timeline.location IS 'Where an event happened, when the sentence names it.';

CREATE OR REPLACE VIEW source_health AS
WITH docs AS (
    SELECT d.source_id, d.source_kind,
           count(*) AS documents,
           count(DISTINCT da.article_id) AS articles,
           count(DISTINCT r.document_id) AS rejects,
           max(d.fetched_at) AS last_document_at
    FROM documents AS d
    LEFT JOIN document_articles AS da USING (document_id)
    LEFT JOIN rejects AS r USING (document_id)
    GROUP BY ALL
),
requests AS (
    SELECT source_id, count(*) AS fetches, count(*) FILTER (WHERE outcome = 'error') AS failed_fetches,
           max(requested_at) AS last_fetch_at
    FROM fetches
    GROUP BY ALL
)
SELECT s.source_id, s.kind, coalesce(s.name, s.url) AS source, s.status, s.enabled, s.last_success_at,
       s.consecutive_failures, s.last_error, s.last_warning, s.next_poll_at,
       coalesce(q.fetches, 0) AS fetches, coalesce(q.failed_fetches, 0) AS failed_fetches, q.last_fetch_at,
       coalesce(d.documents, 0) AS documents, coalesce(d.articles, 0) AS articles,
       coalesce(d.rejects, 0) AS rejects, d.last_document_at
FROM sources AS s
LEFT JOIN requests AS q USING (source_id)
LEFT JOIN docs AS d ON d.source_id = s.source_id
UNION ALL
SELECT NULL, 'seed_folder', 'seed folder',
       CASE WHEN (SELECT count(*) FROM seed_files WHERE status <> 'ok') > 0 THEN 'files_unread' ELSE 'ok' END,
       true, d.last_document_at, 0, NULL, NULL, NULL, 0, 0, NULL,
       d.documents, d.articles, d.rejects, d.last_document_at
FROM docs AS d
WHERE d.source_kind = 'seed_folder';
COMMENT ON VIEW source_health IS 'Every source and how it is doing: the feeds and pages of the sources file (status, failures, last error) and the seed folder, each with the documents, articles and rejects it brought. Start here when numbers look low.';
COMMENT ON COLUMN source_health.source_id IS 'sources.source_id; NULL for the seed folder.';
COMMENT ON COLUMN source_health.kind IS 'feed, page or seed_folder.';
COMMENT ON COLUMN source_health.source IS 'The name given in the sources file, else its URL; "seed folder" for NEWS_SEEDS_DIR.';
COMMENT ON COLUMN source_health.status IS 'Feeds and pages: sources.status (new, ok, failing, removed, invalid). Seed folder: ok, or files_unread when some files could not be read (see seed_files.status).';
COMMENT ON COLUMN source_health.enabled IS 'False when the entry left the sources file or is invalid; true for the seed folder.';
COMMENT ON COLUMN source_health.last_success_at IS 'Last poll that reached the feed or page (UTC); for the seed folder, its last new document.';
COMMENT ON COLUMN source_health.fetches IS 'HTTP requests made for the source (entry pages included).';
COMMENT ON COLUMN source_health.failed_fetches IS 'Of those, requests that failed (fetches.outcome = error).';
COMMENT ON COLUMN source_health.last_fetch_at IS 'Last request (UTC).';
COMMENT ON COLUMN source_health.documents IS 'Documents the source brought.';
COMMENT ON COLUMN source_health.articles IS 'Distinct articles those documents became.';
COMMENT ON COLUMN source_health.rejects IS 'Documents of the source that were rejected (see reject_reasons).';
COMMENT ON COLUMN source_health.last_document_at IS 'When the source last brought a new document (UTC).';

CREATE OR REPLACE VIEW reject_reasons AS
SELECT r.stage, r.reason, d.source_kind,
       count(*) AS rejects,
       max(r.rejected_at) AS last_rejected_at,
       arg_max(r.uri, r.rejected_at) AS latest_uri
FROM rejects AS r
JOIN documents AS d USING (document_id)
GROUP BY ALL;
COMMENT ON VIEW reject_reasons IS 'Why documents were rejected: one row per stage, reason and kind of source, with how many and the latest example (its bytes are in documents.raw).';
COMMENT ON COLUMN reject_reasons.source_kind IS 'seed_folder, feed or page.';
COMMENT ON COLUMN reject_reasons.rejects IS 'Rejected documents with this stage and reason.';
COMMENT ON COLUMN reject_reasons.last_rejected_at IS 'Latest rejection (UTC).';
COMMENT ON COLUMN reject_reasons.latest_uri IS 'File path or URL of the latest rejected document.';
