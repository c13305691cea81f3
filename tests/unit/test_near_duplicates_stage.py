"""The near-duplicates stage against a real (temporary) warehouse: incremental, idempotent, late and
edited articles, version changes, and the index the candidate lookup relies on."""

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import pyarrow as pa
import pytest

from pipelines.core import minhash
from pipelines.core.ids import text_fingerprint
from pipelines.core.settings import DEFAULT_DEDUPE_THRESHOLD, Settings
from pipelines.core.stages import near_duplicates
from pipelines.core.stages.near_duplicates import dedupe_version, group_near_duplicates
from pipelines.core.storage import SQL_DIR, Session
from pipelines.core.storage.embedded import EmbeddedWarehouse

WIRE = " ".join(
    f"Sentence {i} of the wire story says that officials in the capital met on day {i} to discuss the plan."
    for i in range(30)
)
TRIMMED = WIRE.rsplit("Sentence 27", 1)[0]
REWORDED = WIRE.replace("officials", "ministers", 2)
OTHER = " ".join(f"Paragraph {i}: the football club announced a new manager for season {i}." for i in range(30))
SEEN = datetime(2026, 1, 1)


def put(s: Session, article_id: str, text: str, published: datetime | None = None) -> None:
    s.upsert(
        "articles_base",
        [
            {
                "article_id": article_id,
                "document_id": f"doc-{article_id}",
                "batch_key": "seeds-00",
                "identity_key": f"test:{article_id}",
                "title": article_id,
                "language": "en",
                "text": text,
                "word_count": len(text.split()),
                "text_hash": text_fingerprint(text),
                "published_at": published,
                "cleaner_version": "test",
                "first_seen_at": SEEN,
                "updated_at": SEEN,
            }
        ],
        ["article_id"],
    )


def run(s: Session, threshold: float = DEFAULT_DEDUPE_THRESHOLD) -> Any:
    report = group_near_duplicates(s, ["seeds-00"], "test-run", threshold)
    assert s.query("check_near_duplicates", batch_keys=["seeds-00"]) == []
    return report


def groups(s: Session) -> dict[str, tuple]:
    rows = s.con.execute(
        "SELECT article_id, dup_group_id, canonical_article_id, dup_method FROM article_dups ORDER BY 1"
    ).fetchall()
    return {r[0]: r[1:] for r in rows}


def snapshot(s: Session) -> list[list[tuple]]:
    return [
        s.con.execute(f"SELECT * FROM {table} ORDER BY ALL").fetchall()
        for table in ("article_dups", "dup_groups", "article_signatures", "lsh_bands")
    ]


def test_incremental_idempotent_and_late_originals(warehouse: EmbeddedWarehouse) -> None:
    with warehouse.session() as s:
        put(s, "a", WIRE, datetime(2020, 12, 2))
        put(s, "b", OTHER)
        first = run(s)
        assert (first.rows_in, first.new, first.duplicate) == (2, 2, 0)
        g = groups(s)
        assert g["a"] != g["b"] and g["a"][1:] == ("a", "canonical")
        wire_group = g["a"][0]

        before = snapshot(s)
        again = run(s)
        assert again.rows_in == 0 and snapshot(s) == before  # nothing pending, nothing written

        put(s, "c", TRIMMED, datetime(2020, 12, 3))
        third = run(s)
        assert (third.rows_in, third.new, third.duplicate) == (1, 0, 1)
        assert groups(s)["c"] == (wire_group, "a", "near")

        # A copy published earlier than every member arrives late: it becomes canonical, the group keeps its id.
        put(s, "d", REWORDED, datetime(2020, 12, 1))
        fourth = run(s)
        assert fourth.details["canonical_changes"] == 1
        g = groups(s)
        assert g["d"] == (wire_group, "d", "canonical")
        assert g["a"] == (wire_group, "d", "near") and g["c"] == (wire_group, "d", "near")
        assert s.con.execute(
            "SELECT canonical_article_id, size, founder_article_id FROM dup_groups WHERE dup_group_id = ?", [wire_group]
        ).fetchone() == ("d", 3, "a")
        canon = s.con.execute("SELECT article_id, dup_group_size FROM canonical_articles ORDER BY 1").fetchall()
        assert canon == [("b", 1), ("d", 3)]


def test_edited_and_redated_articles(warehouse: EmbeddedWarehouse) -> None:
    with warehouse.session() as s:
        put(s, "a", WIRE, datetime(2020, 12, 1))
        put(s, "c", TRIMMED, datetime(2020, 12, 3))
        put(s, "b", OTHER)
        run(s)
        wire_group = groups(s)["a"][0]

        # The founder is edited into a copy of another report: it leaves, the group stays with the copy.
        put(s, "a", OTHER + " An added sentence.", datetime(2020, 12, 1))
        edited = run(s)
        assert edited.updated == 1
        g = groups(s)
        assert g["c"] == (wire_group, "c", "canonical") and g["a"][0] == g["b"][0]
        assert s.con.execute("SELECT count(*) FROM lsh_bands WHERE article_id = 'a'").fetchone()[0] == minhash.BANDS

        # Edited back, it returns to its group and, being older, is canonical again.
        put(s, "a", WIRE, datetime(2020, 12, 1))
        run(s)
        assert groups(s)["a"] == (wire_group, "a", "canonical")

        # A new date (same text) makes the group elect its canonical member again; nothing is re-signed.
        put(s, "c", TRIMMED, datetime(2020, 11, 30))
        redated = run(s)
        assert redated.rows_in == 1 and redated.details["canonical_changes"] == 1
        assert groups(s)["a"] == (wire_group, "c", "near")


def test_threshold_change_regroups_everything(warehouse: EmbeddedWarehouse) -> None:
    with warehouse.session() as s:
        put(s, "a", WIRE, datetime(2020, 12, 1))
        put(s, "c", TRIMMED, datetime(2020, 12, 3))
        run(s)
        assert groups(s)["a"][0] == groups(s)["c"][0]
        strict = run(s, threshold=0.99)
        assert strict.details["regrouped_all_for_version"] == dedupe_version(0.99)
        assert groups(s)["a"][0] != groups(s)["c"][0]
        assert s.meta("dedupe_version") == dedupe_version(0.99)
        run(s)
        assert groups(s)["a"][0] == groups(s)["c"][0]


def parsed(s: Session, *article_ids: str) -> None:
    """What the NLP stage leaves for an article it has seen (every later stage starts from this row)."""
    hashes = s.con.execute(
        "SELECT article_id, text_hash FROM articles_base WHERE list_contains(?, article_id)", [list(article_ids)]
    ).fetchall()
    s.upsert(
        "article_nlp",
        [
            {"article_id": a, "text_hash": h, "nlp_version": "test", "status": "parsed", "parsed_at": SEEN}
            for a, h in hashes
        ],
        ["article_id"],
    )


def articles(s: Session) -> list[str]:
    return [r[0] for r in s.con.execute("SELECT article_id FROM articles_base ORDER BY 1").fetchall()]


def edited_into_a_copy(s: Session) -> None:
    """Two reports grouped, then the later one edited into an exact copy of the earlier and grouped again: it
    keeps its own id (the cleaner updates an article in place), so two grouped articles share a text hash."""
    put(s, "a", WIRE, datetime(2020, 12, 1))
    put(s, "b", OTHER)
    run(s)
    put(s, "b", WIRE, datetime(2020, 12, 1))
    assert run(s).details["exact_copies_merged"] == 0
    assert groups(s)["b"][0] == groups(s)["a"][0]


def test_a_new_version_folds_no_article_grouped_before_it(warehouse: EmbeddedWarehouse) -> None:
    """Grouped, not parsed yet: the stored signatures are what tells it from a copy, until the version change."""
    with warehouse.session() as s:
        edited_into_a_copy(s)
        put(s, "z", WIRE, datetime(2020, 12, 1))  # a copy another batch cleaned at the same time as a's
        report = run(s, threshold=0.99)
        assert report.details["exact_copies_merged"] == 1
        assert articles(s) == ["a", "b"]
        assert groups(s)["b"][1:] == ("a", "exact")


def test_a_parsed_article_is_never_folded(warehouse: EmbeddedWarehouse, monkeypatch: pytest.MonkeyPatch) -> None:
    """A run killed after a version change dropped every signature, before it grouped again: the next run
    finds every article unsigned, and must still tell the parsed ones from the copies never processed."""
    with warehouse.session() as s:
        edited_into_a_copy(s)
        parsed(s, "a", "b")

        def killed(*args: Any) -> None:
            raise RuntimeError("killed")

        with monkeypatch.context() as m:
            m.setattr(near_duplicates, "_group_chunk", killed)
            with pytest.raises(RuntimeError, match="killed"):
                run(s, threshold=0.99)
        assert s.con.execute("SELECT count(*) FROM article_signatures").fetchone()[0] == 0
        put(s, "z", WIRE, datetime(2020, 12, 1))
        report = run(s, threshold=0.99)
        assert report.details["exact_copies_merged"] == 1
        assert articles(s) == ["a", "b"]
        assert (
            s.con.execute(
                "SELECT count(*) FROM article_nlp WHERE article_id NOT IN (SELECT article_id FROM articles_base)"
            ).fetchone()[0]
            == 0
        )


def test_candidate_lookup_is_an_index_scan(warehouse: EmbeddedWarehouse) -> None:
    """Per-article cost independent of history rests on this plan: the probe's band keys reach lsh_bands
    through its ART index, not a scan of every band."""
    with warehouse.session() as s:
        for i in range(20):
            put(s, f"x{i}", f"{OTHER} variant {i} " * (i + 1))
        run(s)
        # A chunk of several articles: more keys than DuckDB turns into an index lookup by default.
        texts = [WIRE, TRIMMED, REWORDED, OTHER]
        keys = minhash.band_keys(minhash.signatures(texts))
        probe = pa.table(
            {
                "band_key": pa.array(keys.ravel(), pa.uint32()),
                "article_id": pa.array([f"new{i}" for i in range(len(texts)) for _ in range(minhash.BANDS)]),
            }
        )
        s.con.register("probe", probe)
        sql = (SQL_DIR / "statements" / "near_duplicate_candidates.sql").read_text()
        plan = json.loads(s.con.execute("EXPLAIN (ANALYZE, FORMAT json) " + sql).fetchall()[0][1])
    assert ("lsh_bands", "Index Scan") in set(_scans(plan)), plan


def _scans(node: Any) -> Iterator[tuple[str, str]]:
    """(table, scan type) of every table scan in a JSON query profile."""
    if isinstance(node, dict):
        info = node.get("extra_info") or {}
        if isinstance(info, dict) and "Table" in info:
            yield info["Table"].rsplit(".", 1)[-1], info.get("Type", "")
        for child in node.values():
            yield from _scans(child)
    elif isinstance(node, list):
        for child in node:
            yield from _scans(child)


def test_threshold_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NEWS_DEDUPE_THRESHOLD", "0.7")
    assert Settings.from_env().dedupe_threshold == 0.7
    for bad in ("high", "0", "1.5"):
        monkeypatch.setenv("NEWS_DEDUPE_THRESHOLD", bad)
        with pytest.raises(ValueError, match="NEWS_DEDUPE_THRESHOLD"):
            Settings.from_env()
