"""The analyst's side on the seeds: every worked query, every SQL example of the docs, the brief in a browser.

All of them read the session's analysts' warehouse (tests/integration/conftest.py), built once.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from pipelines.core.schema_page import PAGE, QUERIES_DIR
from pipelines.core.settings import PROJECT_ROOT, Settings
from pipelines.core.stages.brief import BRIEF_NAME, write_brief
from pipelines.core.storage import fts_extension_path
from pipelines.core.storage.embedded import EmbeddedWarehouse

Rows = list[dict[str, Any]]


def run_sql(settings: Settings, sql: str) -> Rows:
    """As `make sql` runs it: the published file, read-only, FTS loaded from the pinned package."""
    con = duckdb.connect(str(settings.warehouse_dir / "news.duckdb"), read_only=True)
    try:
        con.execute(f"LOAD '{fts_extension_path()}'")
        cursor = con.execute(sql)
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    finally:
        con.close()


def _threats(rows: Rows, _: Settings) -> None:
    assert any(
        r["actor"] == "Recep Tayyip Erdoğan" and r["recipient_country_code"] == "SY" and r["threats"] >= 1 for r in rows
    ), rows
    assert all(r["actor_country_code"] != r["recipient_country_code"] or r["actor_country_code"] is None for r in rows)


def _independent_sources(rows: Rows, _: Settings) -> None:
    top = rows[0]
    # The Ain Issa story: seeds 000 and 001 report it independently; the republished copy of 001 is not a source.
    assert top["title"].startswith(("Russia sends reinforcements", "Russia announced the sending"))
    assert (top["independent_sources"], top["reports"], top["articles"]) == (2, 2, 3)
    assert "republished_001.txt (copy)" in top["carried_by"]
    assert all(r["independent_sources"] == 1 for r in rows[1:])


def _assault_places(rows: Rows, _: Settings) -> None:
    located = {r["place"]: (r["lat"], r["lon"]) for r in rows if r["lat"] is not None}
    assert {"Aleppo", "Idlib"} <= set(located), rows
    assert 35 < located["Aleppo"][0] < 37 and 36 < located["Aleppo"][1] < 38
    assert [r["assaults"] for r in rows] == sorted((r["assaults"] for r in rows), reverse=True)


def _phrase_search(rows: Rows, _: Settings) -> None:
    titles = [r["title"] for r in rows]
    assert any(t.startswith("Russia sends reinforcements") for t in titles)
    assert any(t.startswith("Russia announced the sending") for t in titles)
    assert all("military police" in r["context"].lower() for r in rows)
    assert [r["score"] for r in rows] == sorted((r["score"] for r in rows), reverse=True)


def _events_per_day(rows: Rows, settings: Settings) -> None:
    (counted,) = run_sql(settings, "SELECT count(*) AS n FROM countable_events")
    (coded,) = run_sql(settings, "SELECT count(*) AS n FROM events")
    assert sum(r["events"] for r in rows) == counted["n"] < coded["n"]  # negated, hypothetical, copies left out
    # "Moscow … said late Sunday that it had deployed": the 27th, dated by the text of seed 001 (29 December).
    assert any(str(r["day"]) == "2020-12-27" and r["dated_by_text"] == 1 for r in rows), rows
    assert [r["day"] for r in rows] == sorted((r["day"] for r in rows), reverse=True)


def _conflict_pairs(rows: Rows, _: Settings) -> None:
    pairs = {(r["actor"], r["recipient"]): r["types"] for r in rows}
    assert "THREATEN" in pairs[("Turkey", "Syria")]
    assert "ACCUSE" in pairs[("Russia", "United States")]


def _top_entities(rows: Rows, settings: Settings) -> None:
    (reports,) = run_sql(settings, "SELECT count(*) AS n FROM canonical_articles")
    assert reports["n"] == 5  # the copy of 001 is not a report of its own
    assert {r["name"] for r in rows[:3]} == {"Syria", "Russia", "Turkey"}
    assert all(r["reports"] == 5 for r in rows[:3])


def _partners(rows: Rows, _: Settings) -> None:
    partners = {r["other_entity"] for r in rows}
    assert {"Vladimir Putin", "Turkey"} <= partners
    assert "Recep Tayyip Erdoğan" not in partners


def _timeline(rows: Rows, _: Settings) -> None:
    assert [r["position"] for r in rows] == list(range(1, len(rows) + 1))
    assert [r["happened_at"] for r in rows] == sorted(r["happened_at"] for r in rows)
    articles = [r["what"] for r in rows if r["kind"] == "article"]
    assert len(articles) == 2 and any(a.startswith("Russia announced the sending") for a in articles)
    first = rows[0]  # dated by its own text two days before the article that reports it
    assert (first["kind"], first["time_source"], str(first["happened_at"].date())) == (
        "event",
        "event_date",
        "2020-12-27",
    )


def _source_health(rows: Rows, _: Settings) -> None:
    (seed,) = rows
    assert (seed["kind"], seed["status"], seed["documents"], seed["articles"], seed["rejects"]) == (
        "seed_folder",
        "ok",
        7,
        6,
        1,
    )


def _rejects(rows: Rows, _: Settings) -> None:
    (reject,) = rows
    assert (reject["stage"], reject["rejects"]) == ("decode", 1)
    assert reject["reason"].startswith("binary content") and reject["latest_uri"].endswith("scan.txt")


def _syndication(rows: Rows, _: Settings) -> None:
    copy = next(r for r in rows if r["copy"].startswith("Moscow moves troops"))
    assert copy["report"].startswith("Russia sends reinforcements") and copy["copies"] == 2
    assert copy["dup_method"] == "near" and 0.55 <= copy["similarity"] < 1


def _unlocated(rows: Rows, _: Settings) -> None:
    assert {"Ain Issa", "Ain Isa"} <= {r["name"] for r in rows}
    assert {r["geo_status"] for r in rows} <= {"not_found", "ambiguous"}


def _evidence(rows: Rows, _: Settings) -> None:
    assert len(rows) >= 3
    for r in rows:  # the evidence span names the actor and the action
        assert r["actor"].lower() in r["evidence"].lower(), r
    assert any(r["actor"] == "Moscow" and r["mode"] == "police" and str(r["day"]) == "2020-12-27" for r in rows)


EXPECTATIONS: dict[str, Callable[[Rows, Settings], None]] = {
    "who_threatened_whom": _threats,
    "stories_most_sources": _independent_sources,
    "places_most_assault": _assault_places,
    "search_phrase": _phrase_search,
    "events_per_day": _events_per_day,
    "country_conflict_pairs": _conflict_pairs,
    "top_entities": _top_entities,
    "entity_partners": _partners,
    "largest_story_timeline": _timeline,
    "source_health": _source_health,
    "rejects_by_reason": _rejects,
    "syndicated_reports": _syndication,
    "unlocated_places": _unlocated,
    "event_evidence": _evidence,
}


@pytest.mark.parametrize("query", sorted(p.stem for p in QUERIES_DIR.glob("*.sql")))
def test_worked_query(query: str, analyst_settings: Settings) -> None:
    path = QUERIES_DIR / f"{query}.sql"
    assert re.match(r"-- \S.*\n(?!--)", path.read_text("utf-8")), "start with one comment line saying the question"
    assert query in EXPECTATIONS, f"add an expectation for warehouse/queries/{query}.sql to this test"
    rows = run_sql(analyst_settings, path.read_text("utf-8"))
    assert rows, f"{query} returns nothing on the seeds"
    EXPECTATIONS[query](rows, analyst_settings)


# Pages whose SQL examples must run as written on the seeds: every fenced ```sql block and every inline
# `select …` / `with …` span. An example that needs a value the reader fills in writes a placeholder and
# says, in an HTML comment (invisible on the rendered page) just before the block, what this test puts
# in its place: <!-- example: '…' = (SELECT story_id FROM stories LIMIT 1) -->. A placeholder without
# that comment fails, so no example is skipped silently. Every top-level page is read, so a new page's
# examples are tested without adding it here; the pages that teach SQL must keep some.
DOC_PAGES = [*sorted(PROJECT_ROOT.glob("*.md")), PAGE]
PAGES_WITH_SQL = {PROJECT_ROOT / name for name in ("README.md", "ANALYSTS.md", "OPERATIONS.md")} | {PAGE}
PLACEHOLDER = "…"
_FENCED = re.compile(r"(?:<!-- example: (?P<stands_for>.+?) = (?P<value>.+?) -->\n)?```sql\n(?P<sql>.*?)```", re.S)
_INLINE = re.compile(r"`((?:select|with)\s[^`]+)`", re.I)


def sql_examples(text: str) -> list[tuple[int, str]]:
    """(line, statement) for every SQL example of a Markdown page, placeholders replaced as declared."""
    found = []
    for match in _FENCED.finditer(text):
        sql = match["sql"]
        if match["stands_for"]:
            assert match["stands_for"] in sql, f"line {text[: match.start()].count(chr(10)) + 1}: unused placeholder"
            sql = sql.replace(match["stands_for"], match["value"])
        found.append((text[: match.start("sql")].count("\n") + 1, sql))
    found += [(text[: m.start()].count("\n") + 1, m[1]) for m in _INLINE.finditer(text)]
    return [(line, s.query) for line, sql in found for s in duckdb.extract_statements(sql)]


@pytest.mark.parametrize("page", DOC_PAGES, ids=lambda p: p.relative_to(PROJECT_ROOT).as_posix())
def test_every_sql_example_of_the_docs_runs(page: Path, analyst_settings: Settings) -> None:
    examples = sql_examples(page.read_text("utf-8"))
    assert examples or page not in PAGES_WITH_SQL, f"{page.name}: no SQL examples found"
    failures = []
    for line, sql in examples:
        if PLACEHOLDER in sql:
            failures.append(f"line {line}: placeholder {PLACEHOLDER!r} without an <!-- example: … --> comment")
            continue
        try:
            run_sql(analyst_settings, sql)
        except duckdb.Error as exc:
            failures.append(f"line {line}: {exc}\n    {sql.strip()[:200]}")
    assert not failures, f"{page.name}:\n" + "\n".join(failures)


def test_the_pages_that_teach_sql_are_read() -> None:
    assert set(DOC_PAGES) >= PAGES_WITH_SQL


def test_schema_page_example_join_answers(analyst_settings: Settings) -> None:
    sql = re.search(r"```sql\n(.*?)```", PAGE.read_text("utf-8"), flags=re.S)[1]
    rows = run_sql(analyst_settings, sql)
    assert {"MOBILIZE", "THREATEN"} <= {r["event_type"] for r in rows}
    assert all(r["story"] and r["report"] for r in rows)


def test_sql_examples_are_found_with_placeholders_as_declared() -> None:
    page = (
        "Run `select 1 AS one` or\n<!-- example: '…' = (SELECT 'x') -->\n```sql\n"
        "select * from t where id = '…';\n-- a comment\nselect 2;\n```\n"
    )
    assert [sql.strip() for _, sql in sql_examples(page)] == [
        "select * from t where id = (SELECT 'x')",
        "-- a comment\nselect 2;",
        "select 1 AS one",
    ]


def test_brief_is_kept_when_the_data_did_not_change(analyst_settings: Settings) -> None:
    page = analyst_settings.warehouse_dir / BRIEF_NAME
    before = page.stat().st_mtime_ns
    result = write_brief(EmbeddedWarehouse(analyst_settings.warehouse_dir))
    assert not result.written and page.stat().st_mtime_ns == before
    assert result.data.totals["events"] > 0 and result.data.places
    # Top actors are entities or named phrases: no generic phrase ("The two leaders", "forces", "as
    # many people") and no actorless event stands in for a name.
    names = {row["name"] for row in result.data.participants}
    assert {"Russia", "Turkey"} <= names
    assert not names & {"The two leaders", "The three governments", "forces", "as many people", None}


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")


@pytest.mark.skipif(CHROMIUM is None, reason="no Chromium on this machine")
def test_brief_shows_charts_in_a_browser_without_network(analyst_settings: Settings, tmp_path: Path) -> None:
    page = analyst_settings.warehouse_dir / BRIEF_NAME
    html = page.read_text("utf-8")
    assert "<script src" not in html and "<link" not in html  # everything is in the page
    command = [
        str(CHROMIUM),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        f"--user-data-dir={tmp_path / 'profile'}",
        # Any request the page made would fail: charts that render needed none.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--virtual-time-budget=15000",
        "--dump-dom",
        page.as_uri(),
    ]
    dom = subprocess.run(command, capture_output=True, text=True, timeout=120, check=True).stdout
    assert 'class="chart-error"' not in dom
    charts = dict(re.findall(r'<div class="chart[^"]*" id="([a-z-]+)"[^>]*>(.*?)</section>', dom, flags=re.S))
    assert set(charts) == {"events-per-day", "participants", "entities", "map"}
    for name, svg in charts.items():
        assert "<svg" in svg and 'role="graphics-symbol"' in svg, f"chart {name} did not render"
    bars = charts["events-per-day"].count('role="graphics-symbol"')
    assert bars >= 10, "one bar per day and type"
    assert charts["map"].count("<path") > 100  # country outlines and the graticule
    assert charts["map"].count('aria-roledescription="circle"') >= 3 and "Aleppo" in charts["map"]  # events
