"""warehouse/README.md is generated from the schema's comments; it must match what this checkout defines."""

from __future__ import annotations

import pytest

from pipelines.core.schema_page import PAGE, build_page


@pytest.fixture(scope="module")
def page() -> str:
    return build_page()


def test_committed_schema_page_is_current(page: str) -> None:
    assert PAGE.read_text("utf-8") == page, "warehouse/README.md is stale: run `make docs` and commit it"


def test_schema_page_documents_keys_joins_and_every_view(page: str) -> None:
    assert "### `articles_base` (table)\n\nCleaned article text" in page
    assert "Key: `document_id`" in page
    # Ids join to the table named for them; views stand in for their _base tables.
    assert "`canonical_article_id` → `articles`" in page and "`actor_entity_id` → `entities`" in page
    for view in ("countable_events", "events_daily", "event_dyads", "entity_cooccurrence", "story_timeline"):
        assert f"### `{view}` (view)" in page
    assert "### `search(query)` (table macro)" in page
    assert "| `day` | DATE | Day of the event" in page


def test_migration_headings_describe_the_schema_not_its_history(page: str) -> None:
    headings = [line for line in page.splitlines() if line.startswith("## Migration")]
    assert "## Migration 003: near-duplicate groups over articles" in headings
    # 010's first comment line breaks a parenthesis across lines: the heading ends before it.
    assert any(h.startswith("## Migration 010: the events of each story") and h.endswith("clustered") for h in headings)
    for heading in headings:
        assert "#" not in heading.removeprefix("## ") and heading.count("(") == heading.count(")"), heading
