"""Seed files edited or deleted after they were ingested: no stale derived row survives.

- An edited article leaves the story it was clustered in for its old text, and is clustered again.
- Lines inserted into a .jsonl file without URLs do not hand their texts to their neighbours' articles.
- A deleted file's article (and a removed .jsonl line's) is withdrawn: out of every view, count, story and
  search result, its bytes kept; a near-duplicate copy of it becomes canonical; putting the file back
  brings everything back.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import SeedFolderCursor, folder_states, shard_key, shard_of
from tests.integration.helpers import materialize_all, published_rows

UNRELATED = (
    "Harbour festival draws record crowds\n\n"
    "The annual harbour festival in Bergen drew a record 80,000 visitors over the weekend, organisers said "
    "on Monday. Sailing boats from twelve countries moored along the quay, and local bakers sold out of "
    "cinnamon buns by noon on Saturday. The festival, first held in 1952, celebrates the town's fishing "
    "history with boat races, music and a market of regional food. Next year's edition will add a maritime "
    "museum night, the organisers announced.\n"
)


def _run(settings: Settings) -> None:
    result = materialize_all(settings)
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert all(check.passed for check in checks), [(c.check_name, c.metadata) for c in checks if not c.passed]


def _stories(settings: Settings) -> set[tuple[str, frozenset[str], int]]:
    """Each story as (title, its articles' document uris, article_count)."""
    rows = published_rows(
        settings,
        "SELECT s.title, list(d.uri), any_value(s.article_count) FROM stories AS s "
        "JOIN story_articles AS m USING (story_id) JOIN articles AS a ON a.article_id = m.article_id "
        "JOIN documents AS d ON d.document_id = a.document_id GROUP BY s.story_id, s.title",
    )
    return {(title, frozenset(Path(u).name for u in uris), count) for title, uris, count in rows}


def test_an_edited_article_is_clustered_again(settings: Settings, tmp_path: Path) -> None:
    _run(settings)
    first = next(settings.seeds_dir.glob("000_*.txt"))
    together = {s for s in _stories(settings) if first.name in s[1]}
    assert len(together) == 1 and len(next(iter(together))[1]) == 2  # 000 and 001: one happening
    first.write_text(UNRELATED, encoding="utf-8")
    _run(settings)
    clean = Settings(tmp_path / "clean_seeds", tmp_path / "clean_warehouse")
    shutil.copytree(settings.seeds_dir, clean.seeds_dir)
    _run(clean)
    assert _stories(settings) == _stories(clean)  # 000 alone in its own story, 001's story rebuilt
    assert ("Harbour festival draws record crowds", frozenset({first.name}), 1) in _stories(settings)


def _jsonl(path: Path, texts: list[str]) -> None:
    lines = [json.dumps({"title": text.split(".")[0], "text": text}) for text in texts]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_inserting_a_jsonl_line_shifts_nothing(tmp_path: Path) -> None:
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    settings = Settings(seeds, tmp_path / "warehouse")
    texts = [f"Report number {n}. The council met on day {n} and voted on the budget." for n in (1, 2, 3)]
    _jsonl(seeds / "batch.jsonl", texts)
    _run(settings)
    query = "SELECT article_id, text FROM articles"
    before = dict(published_rows(settings, query))
    _jsonl(seeds / "batch.jsonl", ["Report number 0. A line added at the top of the file.", *texts])
    _run(settings)
    after = dict(published_rows(settings, query))
    assert {a: after[a] for a in before} == before  # every article keeps its own text
    assert len(after) == 4
    _jsonl(seeds / "batch.jsonl", texts[:2])  # the last line removed: its article is withdrawn
    _run(settings)
    assert sorted(dict(published_rows(settings, query)).values()) == sorted(texts[:2])
    assert published_rows(settings, "SELECT count(*) FROM withdrawn_articles")[0][0] == 2


def _visible(settings: Settings, name: str) -> dict[str, int]:
    """How much of the file `name` analysts can see."""
    where = f"d.uri LIKE '%{name}'"
    join = "JOIN articles AS a ON a.article_id = r.article_id JOIN documents AS d ON d.document_id = a.document_id"
    relations = {
        "articles": "(SELECT article_id FROM articles)",
        "events": "events",
        "countable": "countable_events",
        "mentions": "entity_mentions",
        "search": "search('Ain Isa reinforcements')",
    }
    return {
        name: published_rows(settings, f"SELECT count(*) FROM {relation} AS r {join} WHERE {where}")[0][0]
        for name, relation in relations.items()
    }


def test_a_deleted_file_is_withdrawn_and_comes_back(settings: Settings) -> None:
    seeds = settings.seeds_dir
    original = next(seeds.glob("000_*.txt"))
    text = original.read_text(encoding="utf-8")
    _run(settings)
    # A near-duplicate copy of it (a repost with an edited last sentence), arriving later.
    (seeds / "repost.txt").write_text(text.rstrip() + " Reposted with minor edits.\n", encoding="utf-8")
    _run(settings)
    seen = _visible(settings, original.name)
    assert all(seen.values()), seen
    stories_before = _stories(settings)
    ids = "SELECT a.article_id FROM articles AS a JOIN documents AS d USING (document_id) WHERE d.uri LIKE '%002_%'"
    (kept,) = published_rows(settings, ids)
    moved = next(seeds.glob("002_*.txt"))
    cursor = SeedFolderCursor(folder_states(seeds))
    (seeds / "renamed").mkdir()
    moved.rename(seeds / "renamed" / moved.name)  # a rename in the same run: the article stays itself
    original.unlink()
    assert shard_key(shard_of(original.name)) in cursor.changed_shards(folder_states(seeds))  # the sensor runs it
    _run(settings)
    assert not any(_visible(settings, original.name).values())
    assert published_rows(settings, ids) == [kept]
    assert published_rows(settings, "SELECT count(*) FROM withdrawn_articles")[0][0] == 1
    assert published_rows(settings, f"SELECT status FROM seed_files WHERE relpath = '{original.name}'") == [
        ("deleted",)
    ]
    assert published_rows(settings, "SELECT count(*) FROM documents WHERE uri LIKE '%000_%'")[0][0] == 1  # bytes kept
    # The copy stands alone now: canonical, counted, in a story.
    copy = _visible(settings, "repost.txt")
    assert copy["countable"] and copy["articles"] == 1
    assert any("repost.txt" in uris for _, uris, _ in _stories(settings))
    canonical = (
        "SELECT count(*) FROM canonical_articles AS a JOIN documents AS d USING (document_id) "
        "WHERE d.uri LIKE '%repost.txt'"
    )
    assert published_rows(settings, canonical)[0][0] == 1
    original.write_text(text, encoding="utf-8")
    _run(settings)
    assert _visible(settings, original.name) == seen
    assert _stories(settings) == stories_before
    assert published_rows(settings, "SELECT count(*) FROM withdrawn_articles")[0][0] == 0


def test_a_file_edited_into_a_copy_of_another_is_grouped_with_it_and_coded_no_more(settings: Settings) -> None:
    """The edited article keeps its id, becomes an exact near-duplicate of the other, and its events go: the
    only article the events stage then has to code is one with no parse, which must not stop the run."""
    _run(settings)
    original, edited = sorted(settings.seeds_dir.glob("00[02]_*.txt"))
    events = (
        "SELECT count(*) FROM events AS e JOIN articles AS a USING (article_id) "
        "JOIN documents AS d ON d.document_id = a.document_id WHERE d.uri LIKE '%{}'"
    )
    before = published_rows(settings, events.format(original.name))
    assert published_rows(settings, events.format(edited.name))[0][0] > 0
    edited.write_bytes(original.read_bytes())
    _run(settings)
    assert published_rows(settings, "SELECT count(*) FROM articles")[0][0] == 5
    assert published_rows(settings, events.format(edited.name))[0][0] == 0
    assert published_rows(settings, events.format(original.name)) == before
    groups = (
        "SELECT count(DISTINCT g.dup_group_id) FROM article_dups AS g JOIN articles AS a USING (article_id) "
        "JOIN documents AS d ON d.document_id = a.document_id WHERE d.uri LIKE '%000_%' OR d.uri LIKE '%002_%'"
    )
    assert published_rows(settings, groups)[0][0] == 1
