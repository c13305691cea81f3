"""Web archives in the seed folder: .warc and .warc.gz files the test writes with warcio, as crawlers do
(CC-NEWS, Heritrix, wget --warc-file), through the documents and articles stages."""

from __future__ import annotations

import gzip
import io
import tracemalloc
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.core.settings import Settings
from pipelines.core.sources.seed_folder import all_shard_keys, read_seed_file, scan
from pipelines.core.stages.clean_documents import clean_pending_documents
from pipelines.core.stages.seed_documents import ingest_seed_shards
from pipelines.core.storage.embedded import EmbeddedWarehouse


def _page(n: int, words: str = "") -> bytes:
    body = "".join(
        f"<p>Story {n}, paragraph {k}: the council voted on the new budget for the harbour district. {words}</p>"
        for k in range(4)
    )
    return f"<html><head><title>Story {n}</title></head><body><article><h1>Story {n}</h1>{body}</article>".encode()


def _write_archive(path: Path, pages: list[tuple[str, bytes, str]], *, extra: bool = True) -> None:
    """One response record per (url, body, content type), plus the records a crawl also holds."""
    with path.open("wb") as handle:
        writer = WARCWriter(handle, gzip=path.suffix == ".gz")
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "the test"}))
        for number, (url, body, content_type) in enumerate(pages):
            if extra:
                writer.write_record(
                    writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
                )
            headers = StatusAndHeaders("200 OK", [("Content-Type", content_type)], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": f"2024-03-0{number % 9 + 1}T10:00:00Z"},
            )
            writer.write_record(record)
        if extra:  # a redirect and an image are not articles
            moved = StatusAndHeaders("301 Moved", [("Location", "/elsewhere")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    "https://news.example/old", "response", payload=io.BytesIO(b""), http_headers=moved
                )
            )
            image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
            writer.write_record(
                writer.create_warc_record(
                    "https://news.example/logo.png", "response", payload=io.BytesIO(b"\x89PNG..."), http_headers=image
                )
            )


def _run(settings: Settings) -> tuple[dict, dict]:
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
        documents = ingest_seed_shards(session, settings, all_shard_keys(), "run")
        articles = clean_pending_documents(session, all_shard_keys(), "run")
        return documents.__dict__, articles.__dict__


def _rows(settings: Settings, sql: str) -> list[tuple]:
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
        return session.con.execute(sql).fetchall()


def test_each_html_response_record_becomes_an_article_with_its_url_and_date(settings: Settings) -> None:
    for path in settings.seeds_dir.iterdir():
        path.unlink()
    russian = "Городской совет проголосовал за новый бюджет портового района. " * 3
    pages = [
        ("https://news.example/a?utm_source=x", _page(1), "text/html; charset=utf-8"),
        ("https://news.example/b", _page(2), "text/html"),
        (
            "https://news.example/ru",
            _page(3, russian).replace(b"<head>", b'<head><meta charset="utf-8">').decode().encode("koi8-r"),
            "text/html; charset=koi8-r",
        ),
    ]
    _write_archive(settings.seeds_dir / "crawl.warc.gz", pages)
    _write_archive(settings.seeds_dir / "plain.warc", [("https://news.example/c", _page(4), "text/html")])

    documents, articles = _run(settings)

    assert documents["new"] == 4 and documents["rejected"] == 0
    rows = _rows(
        settings,
        "SELECT a.url, a.canonical_url, a.title, d.fetched_at, d.content_type, d.locator, a.text "
        "FROM articles_base a JOIN documents d USING (document_id) ORDER BY a.url",
    )
    assert [r[0] for r in rows] == [
        "https://news.example/a?utm_source=x",
        "https://news.example/b",
        "https://news.example/c",
        "https://news.example/ru",
    ]
    assert rows[0][1] == "https://news.example/a" and rows[0][2] == "Story 1"
    assert str(rows[0][3]) == "2024-03-01 10:00:00" and rows[0][4] == "application/warc"
    assert rows[0][5].startswith("record at byte ")
    assert "Городской совет проголосовал" in rows[3][6]  # the record's own HTTP charset
    assert articles["rejected"] == 0

    # Idempotent: a second run reads nothing new; an appended record adds exactly one document.
    again, _ = _run(settings)
    assert again["duplicate"] == 2 and again["new"] == 0  # both files unchanged
    _write_archive(settings.seeds_dir / "more.warc.gz", [("https://news.example/d", _page(5), "text/html")])
    archive = settings.seeds_dir / "crawl.warc.gz"  # a crawler appends to its archive
    archive.write_bytes(archive.read_bytes() + (settings.seeds_dir / "more.warc.gz").read_bytes())
    (settings.seeds_dir / "more.warc.gz").unlink()
    _run(settings)
    assert _rows(settings, "SELECT count(*) FROM documents") == [(5,)]
    assert _rows(settings, "SELECT count(*) FROM articles_base") == [(5,)]


def test_a_large_archive_is_streamed_and_a_damaged_one_keeps_what_was_read(settings: Settings) -> None:
    """A web archive is read record by record: reading does not grow with the file, and a cut-off archive
    keeps the records before the damage and rejects the rest with a reason."""
    for path in settings.seeds_dir.iterdir():
        path.unlink()
    pages = [(f"https://news.example/{n}", _page(n, "y" * 100_000), "text/html") for n in range(200)]
    big = settings.seeds_dir / "big.warc"
    _write_archive(big, pages, extra=False)
    size_mib = big.stat().st_size >> 20
    assert size_mib >= 75
    entry = next(scan(settings.seeds_dir))
    tracemalloc.start()
    try:
        result = read_seed_file(entry, settings.seeds_dir, settings.max_document_bytes, settings.max_jsonl_bytes)
        records = sum(1 for item in result.items if item.data)
        peak_mib = tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()
    assert records == 200
    assert peak_mib < 16, f"reading a {size_mib} MiB archive allocated {peak_mib:.0f} MiB at its peak"
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
        assert ingest_seed_shards(session, settings, all_shard_keys(), "run").new == 200
    big.unlink()

    cut = settings.seeds_dir / "cut.warc.gz"
    _write_archive(cut, [(f"https://news.example/cut{n}", _page(n), "text/html") for n in range(5)], extra=False)
    data = cut.read_bytes()
    cut.write_bytes(data[: len(data) * 3 // 5])
    with gzip.open(io.BytesIO(data[: len(data) * 3 // 5])) as probe:  # the test's own check that it is cut
        try:
            probe.read()
            raise AssertionError("the archive is not damaged")
        except EOFError:
            pass
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
        report = ingest_seed_shards(session, settings, all_shard_keys(), "run2")
        reasons = session.con.execute("SELECT reason FROM rejects WHERE run_id = 'run2'").fetchall()
    assert report.new >= 2 and report.rejected == 1
    assert "the archive ends inside the record at byte" in reasons[0][0]


def test_malformed_records_are_a_reject_not_a_failed_run(settings: Settings) -> None:
    """warcio fails on records whose headers it does not expect (a response without WARC-Target-URI raised
    AttributeError out of the stage); each such archive is a reject with its reason, the batch goes on."""
    no_uri = (
        b"WARC/1.0\r\nWARC-Type: response\r\nContent-Type: application/http; msgtype=response\r\n"
        b"Content-Length: 99999\r\n\r\nHTTP/1.1 200 OK\r\n"
    )
    (settings.seeds_dir / "no_uri.warc").write_bytes(no_uri)
    (settings.seeds_dir / "header_only.warc.gz").write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 30)
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
        report = ingest_seed_shards(session, settings, all_shard_keys(), "run")
        rows = session.con.execute("SELECT uri, reason FROM rejects WHERE run_id = 'run'").fetchall()
    reasons = {Path(uri).name: reason for uri, reason in rows}
    assert report.new == 5  # the seeds beside the archives
    assert "the archive cannot be read after 0 HTML records" in reasons["no_uri.warc"]
    assert "header_only.warc.gz" in reasons


def test_an_edited_archive_keeps_every_current_record_when_its_documents_span_flushes(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An archive's records are written in several flushes; when the file changed, only the records it no
    longer holds are withdrawn, not the ones an earlier flush of this run wrote."""
    from pipelines.core.stages import seed_documents

    for path in settings.seeds_dir.iterdir():
        path.unlink()
    monkeypatch.setattr(seed_documents, "FLUSH_BYTES", 2_000)  # a flush every record or two
    archive = settings.seeds_dir / "crawl.warc.gz"
    _write_archive(archive, [(f"https://news.example/{n}", _page(n), "text/html") for n in range(6)], extra=False)
    _run(settings)
    _write_archive(archive, [(f"https://news.example/{n}", _page(n), "text/html") for n in range(1, 6)], extra=False)
    _run(settings)
    articles = _rows(settings, "SELECT url FROM articles ORDER BY url")
    assert [url for (url,) in articles] == [f"https://news.example/{n}" for n in range(1, 6)]
