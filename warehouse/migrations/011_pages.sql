-- 011: what real pages and web archives carry: the charset a server declared, web-archive records, the
-- precision of a publication date, and how an article's language was decided.

ALTER TABLE documents ADD COLUMN declared_charset VARCHAR;
COMMENT ON COLUMN documents.declared_charset IS 'Charset the server declared in the Content-Type header of a fetched page; decoding tries it before the page''s own <meta> (a web-archive record carries its header in raw). NULL for files and when none was declared.';
COMMENT ON COLUMN documents.content_type IS 'text/plain, text/markdown, text/html, application/x-ndjson (one JSON line), application/warc (one HTML response record of a .warc/.warc.gz file: its WARC and HTTP headers, then the page) or application/x-feed-entry+json (a feed entry whose page was not used).';
COMMENT ON COLUMN documents.locator IS 'Where inside the uri, when one uri holds several documents: "line 7" of a .jsonl file, "record at byte 1234" of a web archive.';
COMMENT ON COLUMN documents.fetched_at IS 'When the pipeline read or fetched the input (UTC); for a web-archive record, when the archive captured the page (WARC-Date).';

ALTER TABLE articles_base ADD COLUMN published_precision VARCHAR;
COMMENT ON COLUMN articles_base.published_precision IS 'day when the source states a date without a time of day (published_at is then 00:00 of that day, not a time anyone wrote), time when it states the time; NULL when published_at is NULL.';
COMMENT ON COLUMN articles_base.published_at IS 'Publication time (UTC) as stated by the source or a date line in the text; a date alone is 00:00 of that day (published_precision = day); NULL when nothing states it (never the ingest date).';

ALTER TABLE articles_base ADD COLUMN language_source VARCHAR;
COMMENT ON COLUMN articles_base.language_source IS 'What decided language: classifier (py3langid, confident), declared (the page''s, feed''s or line''s own language, fitting the text''s script), stop_words (common English words in a text the classifier could not place), script (a script only one language here is written in), or NULL for und.';
COMMENT ON COLUMN articles_base.language IS 'ISO 639-1 code of the body, or und when nothing decides it (see language_source and the README''s Languages). Only en articles are parsed.';

COMMENT ON COLUMN articles_base.title IS 'Headline, printed once; for web pages without the site name and section labels the page''s own metadata (site name, og:title, <h1>) shows around it.';
COMMENT ON COLUMN articles_base.standfirst IS 'Summary line printed under the headline; NULL when absent. Plain text keeps it apart from the body; a web page''s body keeps it too, so text always holds the whole story.';
COMMENT ON COLUMN articles_base.text IS 'Body text: paragraphs separated by one blank line; headline, dateline and publisher furniture removed (and a plain-text standfirst, kept in standfirst); Unicode NFC, words unchanged.';
COMMENT ON COLUMN articles_base.byline IS 'Author(s) when the source states them; labels that are not names ("Username", "Authority control", "作者"), dates and "Published" run into the byline are dropped.';
