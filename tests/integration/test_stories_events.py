"""Stories and events on the seeds, through Dagster: the issue's expectations, idempotence, increments."""

from __future__ import annotations

from datetime import date

import pytest

from pipelines.core.events.coder import CODER_VERSION
from pipelines.core.events.ontology import event_types
from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import all_shard_keys
from pipelines.core.stages import code_events as code_events_stage
from pipelines.core.stages.cluster_stories import cluster_pending_stories
from pipelines.core.stages.code_events import code_pending_events
from pipelines.core.storage.embedded import EmbeddedWarehouse
from tests.integration.helpers import materialize_all, parsed_seeds, published_rows, working_rows

SEED_EVENTS = """
SELECT a.title, e.event_type, e.mode, e.actor, e.actor_sector, e.actor_country_code, e.recipient,
       e.recipient_country_code, e.location, e.lat IS NOT NULL, e.event_date, e.future, e.reported, e.negated,
       e.actor_entity_id IS NOT NULL, e.actor_source, e.trigger
FROM events AS e JOIN articles AS a USING (article_id)
ORDER BY a.title, e.sentence_idx, e.trigger_char
"""


# The seed events. Dates where the text fixes them: only seed 001 states its publication date
# (Tuesday 29 December 2020), so "late Sunday" is the 27th and "on Tuesday" the 29th; elsewhere NULL.
SEED_EXPECTATIONS = [
    # Russia MOBILIZE: military police to Ain Issa, in both reports.
    ("Russia announced", "MOBILIZE", {"mode": "police", "actor": "Russia", "country": "RU", "date": None}),
    ("Russia sends", "MOBILIZE", {"mode": "police", "actor": "Moscow", "country": "RU", "date": date(2020, 12, 27)}),
    # Lavrov and Cavusoglu CONSULT (announced: future).
    ("Russia sends", "CONSULT", {"actor": "Lavrov", "country": "RU", "recipient": "Cavusoglu", "linked": True,
                                 "recipient_country": "TR", "future": True, "date": date(2020, 12, 29)}),
    ("Russia announced", "CONSULT", {"actor": "Russia", "future": True, "date": None}),
    # The United States SANCTION 18 Syrian individuals and entities.
    ("Russia announced", "SANCTION", {"actor": "Washington", "country": "US", "recipient_country": "SY"}),
    # The Russian defence ministry ACCUSE the United States.
    ("Russia and USA", "ACCUSE", {"actor": "Ministry of Russia", "sector": "MIL", "country": "RU",
                                  "recipient_country": "US"}),
    # Erdogan THREATEN the Syrian forces; Turkey REQUEST Russia (to stop the attacks).
    ("Kremlin asks", "THREATEN", {"actor": "Erdogan", "country": "TR", "recipient_country": "SY", "mode": "violence"}),
    ("Kremlin asks", "REQUEST", {"actor": "Turkey", "recipient": "Russia", "recipient_country": "RU",
                                 "reported": True}),
    # The Russian air force ASSAULT: airstrikes in Aleppo (geocoded), and Russian strikes in Idlib.
    ("The Kremlin press", "ASSAULT", {"mode": "aerial", "actor": "air force", "sector": "MIL", "country": "RU",
                                      "location": "Aleppo", "geocoded": True}),
    ("The Kremlin press", "ASSAULT", {"actor": "Russian", "country": "RU", "location": "Idlib", "date": None}),
    # Issue 18: "militants who staged more than 1,000 attacks" (a sector actor), "a series of bombings"
    # (through the partitive), "The two leaders spoke by phone and agreed" (resolved to Erdoğan and
    # Putin), an attack with no named actor ("More than 60 people were killed").
    ("Kremlin asks", "ASSAULT", {"actor": "militants", "sector": "REB", "source": "sector",
                                 "trigger": "staged attacks"}),
    ("Russia announced", "ASSAULT", {"mode": "explosives", "actor": "Kurdish forces", "source": "named"}),
    ("The Kremlin press", "CONSULT", {"mode": "phone", "actor": "Putin", "source": "coreference"}),
    ("The Kremlin press", "AGREE", {"actor": "Putin", "source": "coreference"}),
    ("The Kremlin press", "ASSAULT", {"actor": None, "source": "none", "recipient": "More than 60 people"}),
    # "Russia has reportedly pushed for Turkey to accept its proposal": a request, not an agreement.
    ("Russia sends", "REQUEST", {"actor": "Russia", "trigger": "pushed"}),
]  # fmt: skip


def _seed_events(settings: Settings) -> list[dict]:
    columns = ["title", "type", "mode", "actor", "sector", "country", "recipient", "recipient_country"]
    columns += ["location", "geocoded", "date", "future", "reported", "negated", "linked", "source", "trigger"]
    return [dict(zip(columns, row, strict=True)) for row in published_rows(settings, SEED_EVENTS)]


def _find(events: list[dict], title: str, type_: str, **fields: object) -> dict:
    found = [
        e
        for e in events
        if e["title"].startswith(title)
        and e["type"] == type_
        and all(str(v) in str(e[k]) if isinstance(v, str) else e[k] == v for k, v in fields.items())
    ]
    assert found, f"no {type_} {fields} in {title!r}: {[e for e in events if e['title'].startswith(title)]}"
    return found[0]


def test_seed_stories_and_events_end_to_end(settings: Settings) -> None:
    result = materialize_all(settings)
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert {c.check_name for c in checks} >= {"events_current", "events_well_formed", "stories_complete"}
    assert all(c.passed for c in checks), [(c.check_name, c.metadata) for c in checks]

    # Stories: the two Ain Issa reports are one story, the other three seeds one story each.
    story_of = dict(published_rows(settings, "SELECT substr(title, 1, 30), story_id FROM articles"))
    ain_issa = story_of["Russia sends reinforcements to"]
    assert story_of["Russia announced the sending o"] == ain_issa
    assert len(set(story_of.values())) == 4
    timeline = published_rows(
        settings,
        f"SELECT position, published_at IS NOT NULL FROM story_articles WHERE story_id = '{ain_issa}' ORDER BY 1",
    )
    assert timeline == [(1, True), (2, False)]  # 001 states 29 December 2020; 000 comes after
    count, top = published_rows(
        settings, f"SELECT article_count, top_entities FROM stories WHERE story_id = '{ain_issa}'"
    )[0]
    assert count == 2 and top

    events = _seed_events(settings)
    for title, event_type, fields in SEED_EXPECTATIONS:
        _find(events, title, event_type, **fields)
    assert not any(e["date"] for e in events if not e["title"].startswith("Russia sends"))  # only 001 is dated
    assert not any(e["type"] == "AGREE" for e in events if e["title"].startswith("Russia sends"))
    assert all((e["source"] == "none") == (e["actor"] is None) for e in events)
    # "The two leaders spoke by phone and agreed": both leaders act in each event, in the order named.
    leaders = published_rows(
        settings,
        "SELECT e.event_type, list(p.text ORDER BY p.position) FROM events AS e JOIN articles AS a USING (article_id) "
        "JOIN event_actors AS p USING (event_id) WHERE a.title LIKE 'The Kremlin press%' AND p.role = 'actor' "
        "AND p.resolved_from = 'The two leaders' GROUP BY ALL",
    )
    assert {t for t, _ in leaders} == {"CONSULT", "AGREE"}
    assert all("Putin" in names[0] and "Erdoğan" in names[1] for _, names in leaders), leaders

    # A second run changes nothing.
    before = published_rows(settings, "SELECT * EXCLUDE (coded_at) FROM events ORDER BY event_id")
    stories_before = published_rows(settings, "SELECT article_id, story_id FROM article_stories ORDER BY 1")
    assert materialize_all(settings).success
    assert published_rows(settings, "SELECT * EXCLUDE (coded_at) FROM events ORDER BY event_id") == before
    assert published_rows(settings, "SELECT article_id, story_id FROM article_stories ORDER BY 1") == stories_before
    last_run = "SELECT run_id FROM pipeline_runs ORDER BY finished_at DESC LIMIT 1"
    rerun = working_rows(
        settings,
        f"SELECT stage, rows_in FROM pipeline_runs WHERE run_id = ({last_run}) AND stage IN ('events', 'stories')",
    )
    assert sorted(rerun) == [("events", 0), ("stories", 0)]

    # A new article: coded alone, joins or opens a story without touching the others' membership.
    (settings.seeds_dir / "005_new.txt").write_text(
        "Turkey and Russia agree on new patrols\n\nTurkey and Russia agreed on Friday to run joint patrols along "
        "the M4 highway in Idlib, officials in Ankara said.\n",
        encoding="utf-8",
    )
    assert materialize_all(settings).success
    assert published_rows(settings, "SELECT count(*) FROM article_stories")[0][0] == 6
    stories_after = dict(published_rows(settings, "SELECT article_id, story_id FROM article_stories"))
    assert all(stories_after[a] == s for a, s in stories_before)
    new_events = published_rows(
        settings, "SELECT event_type FROM events JOIN articles USING (article_id) WHERE title LIKE 'Turkey and%'"
    )
    assert ("AGREE",) in new_events


@pytest.fixture
def staged(settings: Settings) -> EmbeddedWarehouse:
    return parsed_seeds(settings)


def test_new_coder_version_recodes_only_stale_articles(
    staged: EmbeddedWarehouse, monkeypatch: pytest.MonkeyPatch
) -> None:
    keys = all_shard_keys()
    with staged.session() as session:
        first = code_pending_events(session, keys, "r2")
        again = code_pending_events(session, keys, "r3")
        before = session.con.execute("SELECT event_id, event_type FROM events ORDER BY 1").fetchall()
        monkeypatch.setattr(code_events_stage, "CODER_VERSION", "test-next")
        bumped = code_pending_events(session, keys, "r4")
        after = session.con.execute("SELECT event_id, event_type FROM events ORDER BY 1").fetchall()
        versions = session.con.execute("SELECT DISTINCT coder_version FROM events").fetchall()
    assert (first.rows_in, again.rows_in, bumped.rows_in) == (5, 0, 5)
    assert after == before and versions == [("test-next",)]


def test_checks_count_what_they_guard(staged: EmbeddedWarehouse) -> None:
    """Each asset check's statement is 0 on good data and counts a planted violation."""
    keys = all_shard_keys()
    types = [f"{name}:{t.quad}" for name, t in event_types().items()]
    with staged.session() as session:
        code_pending_events(session, keys, "r2")
        cluster_pending_stories(session, keys, "r2")

        def counts() -> tuple[int, ...]:
            return (
                session.scalar("check_events_current", batch_keys=keys, version=CODER_VERSION),
                session.scalar("check_event_types", batch_keys=keys, types=types),
                session.scalar("check_stories_complete", batch_keys=keys),
                session.scalar("check_story_counts", batch_keys=keys),
            )

        assert counts() == (0, 0, 0, 0)
        con = session.con
        coded = con.execute("SELECT min(article_id) FROM article_event_coding").fetchone()[0]
        con.execute("UPDATE article_event_coding SET coder_version = 'old' WHERE article_id = ?", [coded])
        assault = con.execute("SELECT min(event_id) FROM events WHERE event_type = 'ASSAULT'").fetchone()[0]
        con.execute("UPDATE events SET quad_class = 'verbal_cooperation' WHERE event_id = ?", [assault])
        story_ids = [r[0] for r in con.execute("SELECT story_id FROM stories ORDER BY 1").fetchall()]
        con.execute("UPDATE stories SET article_count = article_count + 1 WHERE story_id = ?", [story_ids[0]])
        con.execute("DELETE FROM stories WHERE story_id = ?", [story_ids[1]])  # its member is orphaned
        con.execute("DELETE FROM article_stories WHERE story_id = ?", [story_ids[2]])  # unclustered
        assert counts() == (1, 1, 1, 2)
