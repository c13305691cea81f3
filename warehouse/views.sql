-- Analyst-facing views, re-applied whenever this file changes (no migration needed).
-- Column comments not written here are inherited from the same column of the underlying table.

CREATE OR REPLACE VIEW articles AS
SELECT a.*
FROM articles_base AS a;
COMMENT ON VIEW articles IS 'One row per distinct article (exact duplicates collapsed): cleaned headline, text, date, language. Start here.';
