-- 004: the one spaCy pass per article, stored for the entity linker and the event coder.

CREATE TABLE article_nlp (
    article_id  VARCHAR PRIMARY KEY,
    text_hash   VARCHAR NOT NULL,
    nlp_version VARCHAR NOT NULL,
    status      VARCHAR NOT NULL,
    reason      VARCHAR,
    sentences   INTEGER,
    tokens      INTEGER,
    docbin      BLOB,
    parsed_at   TIMESTAMP NOT NULL
);
COMMENT ON TABLE article_nlp IS 'The spaCy parse of each article (tokens, lemmas, POS, dependency tree, sentences, entities), made once and read by the entity and event stages. Non-English articles are marked skipped.';
COMMENT ON COLUMN article_nlp.article_id IS 'The article.';
COMMENT ON COLUMN article_nlp.text_hash IS 'articles.text_hash of the text that was parsed; a changed text is parsed again.';
COMMENT ON COLUMN article_nlp.nlp_version IS 'Model package/version, spaCy version and pipeline rules that made the parse.';
COMMENT ON COLUMN article_nlp.status IS 'parsed, or skipped (see reason).';
COMMENT ON COLUMN article_nlp.reason IS 'Why the article was not parsed (e.g. language is not English).';
COMMENT ON COLUMN article_nlp.sentences IS 'Sentences in the parse (sentence_idx in mentions and events counts these, from 0).';
COMMENT ON COLUMN article_nlp.tokens IS 'Tokens in the parse.';
COMMENT ON COLUMN article_nlp.docbin IS 'spaCy DocBin bytes of the parsed Doc (pipelines.core.nlp.parse.deserialize_doc).';
COMMENT ON COLUMN article_nlp.parsed_at IS 'When (UTC).';
