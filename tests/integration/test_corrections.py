"""The corrections file on the seeds: each kind of event, story and near-duplicate fix, stale and ambiguous
entries reported, idempotent re-runs, and fixes that survive a new coder or dedupe version."""

from __future__ import annotations

import pytest

from pipelines.core.corrections import CorrectionsError, parse_corrections
from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import all_shard_keys
from pipelines.core.stages import code_events as code_events_stage
from pipelines.core.stages import near_duplicates as near_duplicates_stage
from pipelines.core.stages.apply_corrections import apply_event_corrections
from pipelines.core.stages.clean_documents import clean_pending_documents
from pipelines.core.stages.cluster_stories import apply_story_corrections, cluster_pending_stories
from pipelines.core.stages.code_events import code_pending_events
from pipelines.core.stages.duplicate_corrections import apply_duplicate_splits, split_group_id
from pipelines.core.stages.near_duplicates import group_near_duplicates
from pipelines.core.stages.nlp_parse import parse_pending_articles
from pipelines.core.stages.report import StageReport
from pipelines.core.stages.seed_documents import ingest_seed_shards
from pipelines.core.storage.embedded import EmbeddedWarehouse
from tests.integration.helpers import parsed_seeds, syndicated_copy_of_001

EVENTS = """
events:
  - article: seeds/001_2066be107b2470bb.txt
    quote: pushed for Turkey to accept
    type: REQUEST
    change: {actor: "COUNTRY: Russia", recipient: "COUNTRY: Turkey"}
  - article: seeds/002_4adf9b929fb8dcbc.txt
    quote: agreements it had struck with Turkey
    trigger: struck
    drop: true
  - article: seeds/002_4adf9b929fb8dcbc.txt
    quote: Shelling by Syrian forces killed eight Turkish personnel
    type: ASSAULT
    change: {location: "PLACE: Idlib", date: 2020-02-03, mode: heavy-weapons}
  - article: seeds/002_4adf9b929fb8dcbc.txt
    quote: words this article never says
    drop: true
  - article: seeds/999_missing.txt
    quote: anything
    drop: true
"""
CORRECTED = """
SELECT regexp_extract(d.uri, 'seeds/.*') AS uri, e.trigger, e.event_type, e.actor, e.recipient, e.location,
       e.event_date, e.mode
FROM corrected_events AS e JOIN articles AS a USING (article_id) JOIN documents AS d USING (document_id)
WHERE e.corrected_by IS NOT NULL ORDER BY 1, 2
"""

CODED_COPY = """
SELECT n.status, (SELECT count(*) FROM events AS e WHERE e.article_id = a.article_id)
FROM articles_base AS a JOIN documents AS d USING (document_id) JOIN article_nlp AS n USING (article_id)
WHERE d.uri LIKE '%republished_001.txt'
"""
GROUP_SIZES = """
SELECT g.dup_group_id FROM dup_groups AS g LEFT JOIN article_dups AS d USING (dup_group_id)
GROUP BY g.dup_group_id, g.size, g.canonical_article_id
HAVING g.size <> count(d.article_id) OR g.canonical_article_id NOT IN (SELECT unnest(list(d.article_id)))
"""


@pytest.fixture
def coded(settings: Settings) -> EmbeddedWarehouse:
    warehouse = parsed_seeds(settings)
    with warehouse.session() as session:
        code_pending_events(session, all_shard_keys(), "r1")
    return warehouse


def _statuses(session) -> list[tuple]:
    return session.con.execute("SELECT section, position, status, matched FROM corrections ORDER BY 1, 2").fetchall()


def test_event_fixes_apply_as_an_overlay_and_survive_a_new_coder(coded: EmbeddedWarehouse, monkeypatch) -> None:
    fixes = parse_corrections(EVENTS)
    keys = all_shard_keys()
    with coded.session() as session:
        coded_rows = session.con.execute("SELECT * EXCLUDE (coded_at) FROM events ORDER BY event_id").fetchall()
        apply_event_corrections(session, keys, "r2", fixes)
        corrected = session.con.execute(CORRECTED).fetchall()
        dropped = session.con.execute("SELECT count(*) FROM events WHERE trigger = 'struck' AND event_type = 'SUPPORT'")
        assert dropped.fetchone()[0] == 1  # the coder's row stays
        visible = session.con.execute(
            "SELECT count(*) FROM corrected_events WHERE trigger = 'struck' AND event_type = 'SUPPORT'"
        )
        assert visible.fetchone()[0] == 0
        assert session.con.execute("SELECT * EXCLUDE (coded_at) FROM events ORDER BY event_id").fetchall() == coded_rows
        assert _statuses(session) == [
            ("events", 1, "applied", 1),
            ("events", 2, "applied", 1),
            ("events", 3, "applied", 1),
            ("events", 4, "stale", 0),
            ("events", 5, "stale", 0),
        ]
        again = apply_event_corrections(session, keys, "r3", fixes)
        assert again.details.get("unchanged") and session.con.execute(CORRECTED).fetchall() == corrected

        # A new coder version re-codes every article: new rows, same fixes, same corrected events.
        monkeypatch.setattr(code_events_stage, "CODER_VERSION", "test-next")
        assert code_pending_events(session, keys, "r4").rows_in == 5
        apply_event_corrections(session, keys, "r5", fixes)
        assert session.con.execute(CORRECTED).fetchall() == corrected
        dyads = session.con.execute(
            "SELECT actor_country_code, recipient_country_code FROM event_dyads "
            "WHERE event_type = 'REQUEST' AND actor = 'Russia'"
        ).fetchall()
    uri, _, event_type, actor, recipient, *_ = corrected[0]
    assert (uri, event_type, actor, recipient) == ("seeds/001_2066be107b2470bb.txt", "REQUEST", "Russia", "Turkey")
    assert ("RU", "TR") in dyads
    shelling = next(row for row in corrected if row[1] == "killed")
    assert shelling[5] == "Idlib" and str(shelling[6]) == "2020-02-03" and shelling[7] == "heavy-weapons"


def test_a_quote_matching_several_events_is_ambiguous_unless_every(coded: EmbeddedWarehouse) -> None:
    entry = "events:\n  - {article: seeds/002_4adf9b929fb8dcbc.txt, quote: 'killed', drop: true%s}\n"
    with coded.session() as session:
        apply_event_corrections(session, all_shard_keys(), "r2", parse_corrections(entry % ""))
        assert _statuses(session) == [("events", 1, "ambiguous", 0)]
        assert session.con.execute("SELECT count(*) FROM event_corrections").fetchone()[0] == 0
        killed = session.con.execute(
            "SELECT count(*) FROM events JOIN articles_base AS a USING (article_id) "
            "JOIN documents AS d ON d.document_id = a.document_id WHERE d.uri LIKE '%002_%' AND trigger = 'killed'"
        ).fetchone()[0]
        assert killed > 1
        apply_event_corrections(session, all_shard_keys(), "r3", parse_corrections(entry % ", every: true"))
        assert _statuses(session) == [("events", 1, "applied", killed)]


def test_story_merge_and_split_move_members_once_and_report_stale_entries(coded: EmbeddedWarehouse) -> None:
    merges = parse_corrections(
        """
stories:
  merge:
    - [seeds/000_f74e0fc5425a5a7b.txt, seeds/001_2066be107b2470bb.txt]
    - [seeds/002_4adf9b929fb8dcbc.txt, seeds/003_4226bccabad467d5.txt]
    - [seeds/004_98d74736c421111c.txt, seeds/999_missing.txt]
"""
    ).story_merges
    split = parse_corrections(
        "stories:\n  split:\n"
        "    - {articles: [seeds/001_2066be107b2470bb.txt], from: [seeds/000_f74e0fc5425a5a7b.txt]}\n"
    ).story_splits
    stories = (
        "SELECT regexp_extract(d.uri, 'seeds/.*'), s.story_id, s.corrected_by FROM article_stories AS s "
        "JOIN articles_base AS a USING (article_id) JOIN documents AS d USING (document_id) ORDER BY 1"
    )
    counts = (
        "SELECT s.article_count, count(m.article_id) FROM stories AS s JOIN article_stories AS m USING (story_id) "
        "GROUP BY s.story_id, s.article_count"
    )
    keys = all_shard_keys()
    with coded.session() as session:
        cluster_pending_stories(session, keys, "r2")
        apply_story_corrections(session, StageReport("stories", keys, "r2"), merges)
        merged = session.con.execute(stories).fetchall()
        story = {u: s for u, s, _ in merged}
        assert story["seeds/000_f74e0fc5425a5a7b.txt"] == story["seeds/001_2066be107b2470bb.txt"]
        assert story["seeds/002_4adf9b929fb8dcbc.txt"] == story["seeds/003_4226bccabad467d5.txt"]
        assert [row[2] for row in merged].count(merges[0].correction_id) <= 1
        assert all(stored == members for stored, members in session.con.execute(counts).fetchall())
        statuses = _statuses(session)
        assert statuses[:2] == [("stories", 1, "applied", 2), ("stories", 2, "applied", 2)]
        assert statuses[2][2] == "stale"  # one article is not enough to merge, and the other is missing
        version = session.data_version()
        apply_story_corrections(session, StageReport("stories", keys, "r3"), merges)
        assert session.con.execute(stories).fetchall() == merged  # a merge in force moves nothing
        assert session.data_version() == version  # and writes nothing: nothing to publish

        apply_story_corrections(session, StageReport("stories", keys, "r4"), split)
        after = {u: (s, by) for u, s, by in session.con.execute(stories).fetchall()}
        assert after["seeds/000_f74e0fc5425a5a7b.txt"][0] != after["seeds/001_2066be107b2470bb.txt"][0]
        assert after["seeds/001_2066be107b2470bb.txt"][1] == split[0].correction_id
        assert all(stored == members for stored, members in session.con.execute(counts).fetchall())


def test_a_bad_entry_is_named() -> None:
    with pytest.raises(CorrectionsError, match="events entry 1"):
        parse_corrections("events:\n  - {article: a, quote: b, change: {type: DANCE}}\n")
    with pytest.raises(CorrectionsError, match="drop: true or change"):
        parse_corrections("events:\n  - {article: a, quote: b}\n")
    with pytest.raises(CorrectionsError, match=r"stories\.merge entry 1"):
        parse_corrections("stories:\n  merge:\n    - [only-one]\n")
    with pytest.raises(CorrectionsError, match=r"duplicates\.split entry 1: from must list"):
        parse_corrections("duplicates:\n  split:\n    - {articles: [a], from: []}\n")
    with pytest.raises(CorrectionsError, match=r"stories\.split entry 1: from must list"):
        parse_corrections("stories:\n  split:\n    - [a]\n")


COPY = "seeds/republished_001.txt"
ORIGINAL = "seeds/001_2066be107b2470bb.txt"
MEMBERSHIP = """
SELECT regexp_extract(d.uri, 'seeds/.*') AS uri, a.dup_group_id, a.dup_method, a.dup_corrected_by
FROM articles AS a JOIN documents AS d USING (document_id) ORDER BY 1
"""


def _grouped_with_a_copy(settings: Settings) -> EmbeddedWarehouse:
    """The seeds plus a syndicated copy of 001, ingested, grouped and parsed (the copy is not parsed)."""
    (settings.seeds_dir / "republished_001.txt").write_text(syndicated_copy_of_001(), encoding="utf-8")
    warehouse = EmbeddedWarehouse(settings.warehouse_dir)
    keys = all_shard_keys()
    with warehouse.session() as session:
        ingest_seed_shards(session, settings, keys, "r1")
        clean_pending_documents(session, keys, "r1")
        group_near_duplicates(session, keys, "r1")
        parse_pending_articles(session, keys, "r1", processes=1)
    return warehouse


def _split(session, keys: list[str], run: str, fixes) -> StageReport:
    report = StageReport("near_duplicates", keys, run)
    apply_duplicate_splits(session, report, fixes.duplicate_splits)
    return report


def test_a_near_duplicate_split_makes_a_report_of_its_own_and_survives_regrouping(settings: Settings, monkeypatch):
    warehouse = _grouped_with_a_copy(settings)
    keys = all_shard_keys()
    fixes = parse_corrections(
        f"duplicates:\n  split:\n    - {{articles: [{COPY}], from: [{ORIGINAL}], note: another outlet's report}}\n"
        "    - {articles: [seeds/999_missing.txt], from: [seeds/000_f74e0fc5425a5a7b.txt]}\n"
    )
    with warehouse.session() as session:
        before = {uri: row for uri, *row in session.con.execute(MEMBERSHIP).fetchall()}
        assert before[COPY][0] == before[ORIGINAL][0] and before[COPY][1] == "near"
        assert session.con.execute(CODED_COPY).fetchone() == ("skipped", 0)

        report = _split(session, keys, "r2", fixes)
        after = {uri: row for uri, *row in session.con.execute(MEMBERSHIP).fetchall()}
        correction = fixes.duplicate_splits[0].correction_id
        assert after[COPY] == [split_group_id(fixes.duplicate_splits[0]), "canonical", correction]
        assert after[ORIGINAL] == [before[ORIGINAL][0], "canonical", None]
        assert report.details["moved_by_corrections"] == 1
        assert _statuses(session) == [("duplicates", 1, "applied", 1), ("duplicates", 2, "stale", 0)]
        assert session.con.execute(GROUP_SIZES).fetchall() == []  # every group's size is its members

        # Nothing else was recomputed; the next stages treat the copy as a report of its own.
        parse_pending_articles(session, keys, "r3", processes=1)
        code_pending_events(session, keys, "r3")
        status, events = session.con.execute(CODED_COPY).fetchone()
        assert status == "parsed" and events > 0
        cluster_pending_stories(session, keys, "r3")
        story = (
            "SELECT count(*) FROM article_stories JOIN articles USING (article_id) WHERE dup_corrected_by IS NOT NULL"
        )
        assert session.con.execute(story).fetchone()[0] == 1

        version = session.data_version()
        assert _split(session, keys, "r4", fixes).details["moved_by_corrections"] == 0  # in force: nothing moves
        assert session.data_version() == version  # and nothing is written

        # A new dedupe version regroups every article: the copy joins 001 again and the split moves it out.
        monkeypatch.setattr(near_duplicates_stage, "CODE_VERSION", "test-next")
        group_near_duplicates(session, keys, "r5")
        assert session.con.execute(MEMBERSHIP).fetchall() != [(u, *r) for u, r in after.items()]
        _split(session, keys, "r5", fixes)
        assert {uri: row for uri, *row in session.con.execute(MEMBERSHIP).fetchall()} == after


def test_a_split_without_from_and_entries_that_name_one_article_twice(settings: Settings) -> None:
    warehouse = _grouped_with_a_copy(settings)
    keys = all_shard_keys()
    fixes = parse_corrections(
        f"duplicates:\n  split:\n    - [{COPY}]\n    - {{articles: [{COPY}], from: [{ORIGINAL}]}}\n"
    )
    with warehouse.session() as session:
        _split(session, keys, "r2", fixes)
        rows = {uri: row for uri, *row in session.con.execute(MEMBERSHIP).fetchall()}
        assert rows[COPY][0] != rows[ORIGINAL][0] and rows[COPY][2] == fixes.duplicate_splits[0].correction_id
        assert _statuses(session) == [("duplicates", 1, "applied", 1), ("duplicates", 2, "stale", 0)]
        assert _split(session, keys, "r3", fixes).details["moved_by_corrections"] == 0
        assert session.con.execute(GROUP_SIZES).fetchall() == []
