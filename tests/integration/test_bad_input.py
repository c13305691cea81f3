"""Bad input is data, not a crash: each case becomes a rejects row with stage and reason; the run succeeds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipelines.core.settings import Settings
from pipelines.core.sources import seed_folder
from pipelines.core.stages.seed_documents import ingest_seed_shards
from pipelines.core.storage.embedded import EmbeddedWarehouse
from tests.integration.helpers import materialize_all, published_rows, table_snapshot, working_rows

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"


def _write_bad_inputs(root: Path, outside: Path) -> None:
    (root / "empty.txt").write_bytes(b"")
    (root / "image.txt").write_bytes(PNG + bytes(range(256)) * 4)
    (root / "broken_utf8.txt").write_bytes("Headline\n\nCafé “quoted” text then ".encode() + b"\xe2\x80 broken bytes")
    with (root / "huge.txt").open("wb") as handle:  # 50 MB, sparse where the filesystem allows
        handle.truncate(50 * 1024 * 1024)
    outside.mkdir(exist_ok=True)
    (outside / "secret.txt").write_text("Secret headline\n\nThis must never be read.")
    (root / "escape.txt").symlink_to(outside / "secret.txt")
    good = {
        "url": "https://example.com/a",
        "title": "JSONL article",
        "text": "A JSONL article body with words.",
        "published": "2021-02-03",
    }
    lines = [json.dumps(good), '{"title": "broken", "text": "unterminated', json.dumps({"title": "no body"})]
    (root / "batch.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_bad_inputs_become_rejects_and_the_batch_goes_on(settings: Settings, tmp_path: Path) -> None:
    _write_bad_inputs(settings.seeds_dir, tmp_path / "outside")
    result = materialize_all(settings)
    assert result.success
    rejects: dict[tuple[str, str], list[str]] = {}
    for uri, stage, reason in published_rows(settings, "SELECT uri, stage, reason FROM rejects"):
        rejects.setdefault((uri.rsplit("/", 1)[-1], stage), []).append(reason)
    expected = {
        ("empty.txt", "decode"): "empty file",
        ("image.txt", "decode"): "PNG image",
        ("broken_utf8.txt", "decode"): "invalid UTF-8 at byte",
        ("huge.txt", "read"): "50.0 MiB, over the 10.0 MiB limit",
        ("escape.txt", "read"): "symlink pointing outside the seed folder",
        ("batch.jsonl", "parse"): "malformed JSON",
    }
    for key, fragment in expected.items():
        assert key in rejects, f"missing reject {key}; got {sorted(rejects)}"
        assert any(fragment in reason for reason in rejects[key]), rejects[key]
    jsonl_rejects = published_rows(settings, "SELECT reason FROM rejects WHERE uri LIKE '%batch.jsonl' ORDER BY reason")
    assert [r[0].split(":")[0] for r in jsonl_rejects] == ["line 2", "line 3"]
    # The good inputs still loaded: 5 seeds + 1 JSONL article.
    assert published_rows(settings, "SELECT count(*) FROM articles")[0][0] == 6
    url, published = published_rows(
        settings, "SELECT canonical_url, published_at FROM articles WHERE title = 'JSONL article'"
    )[0]
    assert url == "https://example.com/a" and str(published) == "2021-02-03 00:00:00"
    # Every document is accounted for, the secret was never read, the big file kept only a prefix.
    assert (
        published_rows(settings, "SELECT count(*) FROM documents WHERE contains(decode(raw, 'ignore'), 'must never')")[
            0
        ][0]
        == 0
    )
    assert published_rows(
        settings, "SELECT octet_length(raw), raw_truncated FROM documents WHERE uri LIKE '%huge.txt'"
    )[0] == (65536, True)
    # And nothing is re-read or re-rejected on the next run.
    before = published_rows(settings, "SELECT count(*) FROM rejects")[0][0]
    assert materialize_all(settings).success
    assert published_rows(settings, "SELECT count(*) FROM rejects")[0][0] == before


def test_file_deleted_between_listing_and_reading(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    victim = settings.seeds_dir / "vanishing.txt"
    victim.write_text("Headline\n\nBody")
    listing = list(seed_folder.scan(settings.seeds_dir))
    victim.unlink()
    warehouse = EmbeddedWarehouse(settings.warehouse_dir)
    with warehouse.session() as session:
        report = ingest_seed_shards(session, settings, seed_folder.all_shard_keys(), "test-run", entries=listing)
        reasons = session.con.execute("SELECT stage, reason FROM rejects WHERE uri LIKE '%vanishing.txt'").fetchall()
    assert report.rejected == 1 and report.new == 5
    assert reasons == [("read", "file disappeared between listing and reading; it will be read if it returns")]


def test_legacy_encodings_load_without_mangling(settings: Settings) -> None:
    (settings.seeds_dir / "french.txt").write_bytes(
        "Grève à Genève\n\nLes employés de l’aéroport ont cessé le travail à midi, a déclaré le syndicat.".encode(
            "cp1252"
        )
    )
    (settings.seeds_dir / "russian.txt").write_bytes(
        "Военная полиция\n\nРоссийская военная полиция прибыла в район города, сообщило министерство.".encode("cp1251")
    )
    (settings.seeds_dir / "utf16.txt").write_bytes(
        "Headline UTF-16\n\nA body saved by Notepad as UTF-16.".encode("utf-16")
    )
    assert materialize_all(settings).success
    rows = dict(published_rows(settings, "SELECT title, encoding || ' ' || language FROM articles"))
    assert rows["Grève à Genève"] == "cp1252 fr"
    assert rows["Военная полиция"] == "cp1251 ru"
    assert rows["Headline UTF-16"].startswith("utf-16-le")
    assert (settings.warehouse_dir / "news.duckdb").exists()


def test_new_cleaner_version_reprocesses_only_stale_documents(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipelines.core.stages import clean_documents

    (settings.seeds_dir / "empty.txt").write_bytes(b"")
    assert materialize_all(settings).success
    before = table_snapshot(settings)
    assert materialize_all(settings).success  # same version: nothing to do
    runs = working_rows(settings, "SELECT rows_in FROM pipeline_runs WHERE stage = 'articles' ORDER BY started_at")
    assert runs[-1] == (0,)
    monkeypatch.setattr(clean_documents, "CLEANER_VERSION", "test-next-version")
    assert materialize_all(settings).success
    runs = working_rows(settings, "SELECT rows_in FROM pipeline_runs WHERE stage = 'articles' ORDER BY started_at")
    assert runs[-1] == (6,)  # every document (5 seeds + the empty file) re-cleaned once
    after = table_snapshot(settings)
    assert after["articles"] == before["articles"] and after["rejects"] == before["rejects"]
    versions = published_rows(settings, "SELECT DISTINCT cleaner_version FROM document_articles")
    assert versions == [("test-next-version",)]
    assert published_rows(settings, "SELECT DISTINCT code_version FROM rejects") == [("test-next-version",)]
