"""Publishing and searching what real sources carry: long reads at the default memory limit, and text in
every script. The stages run directly (documents, articles, publish); the parse is not needed for either."""

from __future__ import annotations

import random

import pytest

from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import all_shard_keys
from pipelines.core.stages.clean_documents import clean_pending_documents
from pipelines.core.stages.publish import SEARCH_INDEX_VERSION, publish_warehouse
from pipelines.core.stages.seed_documents import ingest_seed_shards
from pipelines.core.storage.embedded import EmbeddedWarehouse
from tests.integration.helpers import published_rows


def _load_and_publish(settings: Settings) -> dict[str, object]:
    warehouse = EmbeddedWarehouse(settings.warehouse_dir)
    with warehouse.session() as session:
        keys = all_shard_keys()
        ingest_seed_shards(session, settings, keys, "run-1")
        clean_pending_documents(session, keys, "run-1")
        return publish_warehouse(warehouse, session, keys, "run-1").details


def _long_read(rng: random.Random, vocabulary: list[str], words: int) -> str:
    paragraphs = []
    for start in range(0, words, 150):
        sentence = [rng.choice(vocabulary) for _ in range(min(150, words - start))]
        paragraphs.append(" ".join(sentence).capitalize() + ".")
    return "\n\n".join(paragraphs)


def test_a_folder_of_long_reads_publishes_at_the_default_memory_limit(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 20: one 15,000-word article took the search index over DuckDB's 512 MB default, so news.duckdb
    was never published. Five articles of 15,000 to 50,000 words must publish and be searchable."""
    monkeypatch.delenv("NEWS_DUCKDB_MEMORY", raising=False)
    rng = random.Random(20)
    letters = "abcdefghijklmnopqrstuvwxyz"
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(3, 11))) for _ in range(20_000)]
    for path in settings.seeds_dir.iterdir():
        path.unlink()
    for number, words in enumerate((15_000, 22_000, 30_000, 40_000, 50_000)):
        body = _long_read(rng, vocabulary, words)
        (settings.seeds_dir / f"long_{number}.txt").write_text(f"Long read number {number}\n\n{body}\n", "utf-8")
    (settings.seeds_dir / "long_4.txt").write_text(
        (settings.seeds_dir / "long_4.txt").read_text("utf-8") + "\nThe zanzibarian postscript.\n", "utf-8"
    )

    details = _load_and_publish(settings)

    assert details["published"] is True and details["search_indexed"] == 5
    assert published_rows(settings, "SELECT count(*), min(word_count) >= 15000 FROM articles") == [(5, True)]
    assert published_rows(settings, "SELECT title FROM search('zanzibarian')") == [("Long read number 4",)]


SCRIPTS = {
    "ru": (
        "Правительство России объявило о новых мерах",
        "Правительство утвердило бюджет на следующий год.",
        "Правительства",
    ),
    "zh": ("中国政府宣布新政策", "中国政府今天宣布了一项新的经济政策。", "经济"),
    "ja": ("日本政府が新方針を発表", "東京で首相が記者会見を開き、新しい方針を説明した。", "記者会見"),
    "ko": ("정부가 새 정책을 발표했다", "대한민국 정부는 오늘 새로운 경제 정책을 발표했다.", "정부"),
    "ar": ("الحكومة تعلن خطة جديدة", "أعلنت الحكومة المصرية اليوم عن خطة اقتصادية جديدة.", "الحكومة"),
    "el": (
        "Η κυβέρνηση ανακοίνωσε νέα μέτρα",
        "Η ελληνική κυβέρνηση ανακοίνωσε σήμερα νέα οικονομικά μέτρα.",
        "κυβέρνησης",
    ),
}


def test_search_finds_words_in_every_script(settings: Settings) -> None:
    """Issue 22.10: search('Правительство') found nothing in a Russian article, as the tokenizer kept only
    a-z. Each script's article must be found by a word of it, in another inflection where the script has
    stems (Russian, Greek), inside a longer run of characters where words are not spaced (CJK)."""
    for path in settings.seeds_dir.iterdir():
        path.unlink()
    for code, (title, body, _) in SCRIPTS.items():
        (settings.seeds_dir / f"{code}.txt").write_text(f"{title}\n\n{body}\n", "utf-8")

    _load_and_publish(settings)

    for code, (title, _, query) in SCRIPTS.items():
        assert published_rows(settings, f"SELECT title FROM search('{query}')") == [(title,)], code
    assert published_rows(settings, "SELECT count(*) FROM search('政策')") == [(1,)]  # Han pieces, not Hangul
    assert published_rows(settings, "SELECT value FROM warehouse_meta WHERE key = 'search_index_version'") == [
        (SEARCH_INDEX_VERSION,)
    ]


def test_an_index_made_by_an_older_tokenizer_is_rebuilt(settings: Settings) -> None:
    """Postings made before every script was indexed would never match a query: the index is rebuilt once."""
    for path in settings.seeds_dir.iterdir():
        path.unlink()
    title, body, query = SCRIPTS["ru"]
    (settings.seeds_dir / "ru.txt").write_text(f"{title}\n\n{body}\n", "utf-8")
    _load_and_publish(settings)
    warehouse = EmbeddedWarehouse(settings.warehouse_dir)
    with warehouse.session() as session:  # as an older release left it: no Cyrillic terms, an old version
        session.con.execute("DELETE FROM search_postings WHERE NOT regexp_matches(term, '^[a-z0-9]+$')")
        session.con.execute("UPDATE warehouse_meta SET value = '1' WHERE key = 'search_index_version'")
        session.bump_data_version("test")
    _load_and_publish(settings)
    assert published_rows(settings, f"SELECT title FROM search('{query}')") == [(title,)]
    with warehouse.session() as session:
        assert session.con.execute("SELECT count(*) FROM search('Правительство')").fetchone()[0] == 1
