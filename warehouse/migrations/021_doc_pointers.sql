-- 021: comments that name the page where their rule is explained, now that the docs are split by reader.
COMMENT ON COLUMN articles_base.language IS 'ISO 639-1 code of the body, or und when nothing decides it (see language_source and ANALYSTS.md, Languages). Only en articles are parsed.';
