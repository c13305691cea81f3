"""Web archives (.warc, .warc.gz) in the seed folder: one document per HTML response record.

Common Crawl's CC-NEWS, Heritrix and `wget --warc-file` write WARC files of thousands of records, often
a gigabyte each, so a file is read record by record with warcio (gzip members or plain) and never held in
memory: each record's page is read up to the per-document size limit, and the stage writes documents in
bounded flushes. Only HTTP responses with status 2xx and an HTML page (by Content-Type, or by its first
bytes when the type is missing) are articles; requests, metadata, revisits, redirects, images and
robots.txt are not documents.

A document's bytes are the record as a one-record WARC: its WARC headers (type, id, date, target URI),
its HTTP status and headers, then the page with any transfer or content encoding undone. The articles
stage reads the URL, the server's charset and the page from them (formats.py), and the record's
WARC-Date is the document's fetched_at: when the archive captured the page.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import BinaryIO

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed
from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.core.dates import to_utc_naive
from pipelines.core.decode import charset_param

WARC = "application/warc"
WARC_SUFFIXES = (".warc", ".warc.gz")
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
_HTML_STARTS = (b"<!doctype html", b"<html", b"<head", b"<body")
_KEPT_WARC_HEADERS = ("warc-type", "warc-record-id", "warc-date", "warc-target-uri")
# Headers that describe the bytes as sent, not the page as stored (encodings are undone on reading).
_DROPPED_HTTP_HEADERS = ("content-length", "transfer-encoding", "content-encoding")


def is_warc(name: str) -> bool:
    return name.lower().endswith(WARC_SUFFIXES)


@dataclass(frozen=True)
class Record:
    """One HTML response of an archive. `data` is the record as a one-record WARC (None when too big)."""

    offset: int
    url: str
    captured_at: datetime | None
    data: bytes | None
    size: int
    evidence: bytes = b""


class DamagedArchive(ValueError):
    """The archive cannot be read past some point; the records before it were read."""


def _is_html(record: ArcWarcRecord, head: bytes) -> bool:
    media = (record.http_headers.get_header("Content-Type") or "").split(";", 1)[0].strip().lower()
    if media:
        return media in _HTML_TYPES
    start = head[:2048].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(_HTML_STARTS)


def _captured_at(record: ArcWarcRecord) -> datetime | None:
    raw = record.rec_headers.get_header("WARC-Date") or ""
    try:
        return to_utc_naive(datetime.fromisoformat(raw.replace("Z", "+00:00")))
    except ValueError:
        return None


def _one_record_warc(record: ArcWarcRecord, page: bytes) -> bytes:
    """The record with its page decoded, as a WARC file of one record (deterministic: same record, same bytes)."""
    warc_headers = StatusAndHeaders(
        "WARC/1.0",
        [(k, v) for k, v in record.rec_headers.headers if k.lower() in _KEPT_WARC_HEADERS],
        protocol="",
    )
    http = record.http_headers
    http_headers = StatusAndHeaders(
        http.statusline,
        [(k, v) for k, v in http.headers if k.lower() not in _DROPPED_HTTP_HEADERS],
        protocol=http.protocol,
    )
    out = io.BytesIO()
    writer = WARCWriter(out, gzip=False)
    uri = record.rec_headers.get_header("WARC-Target-URI")
    writer.write_record(
        writer.create_warc_record(
            uri, "response", payload=io.BytesIO(page), http_headers=http_headers, warc_headers=warc_headers
        )
    )
    return out.getvalue()


def html_records(handle: BinaryIO, max_page_bytes: int, evidence_bytes: int) -> Iterator[Record]:
    """The HTML responses of an open archive, in file order; DamagedArchive where it stops being readable."""
    records = ArchiveIterator(handle, arc2warc=True)
    read = 0
    try:
        for record in records:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            status = record.http_headers.get_statuscode() or ""
            if not status.startswith("2"):
                continue
            page = record.content_stream().read(max_page_bytes + 1)
            if not _is_html(record, page):
                continue
            offset = records.get_record_offset()  # reads the record to its end
            if getattr(record.raw_stream, "limit", 0):  # warcio stops quietly at the end of a cut-off file
                raise DamagedArchive(f"the archive ends inside the record at byte {offset}, after {read} HTML records")
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            read += 1
            if len(page) > max_page_bytes:
                yield Record(offset, url, _captured_at(record), None, len(page), page[:evidence_bytes])
                continue
            data = _one_record_warc(record, page)
            yield Record(offset, url, _captured_at(record), data, len(data))
    except DamagedArchive:
        raise
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, TypeError, IndexError, KeyError) as exc:
        # warcio's parser trusts the headers it reads: on a malformed record it fails with whatever it trips
        # over (AttributeError for a response record without WARC-Target-URI, TypeError or IndexError for
        # broken header lines). From there the archive is unreadable, which is data, not a crash.
        reason = str(exc) or type(exc).__name__
        raise DamagedArchive(f"the archive cannot be read after {read} HTML records: {reason}") from exc


@dataclass(frozen=True)
class Page:
    """A stored record, read back: where the page came from and its bytes."""

    url: str | None
    charset: str | None
    html: bytes


def read_record(data: bytes) -> Page:
    """The page of a one-record WARC written by html_records; ValueError when it is not one."""
    try:
        record = next(iter(ArchiveIterator(io.BytesIO(data), arc2warc=True)))
    except (StopIteration, ArchiveLoadFailed) as exc:
        raise ValueError("not a WARC record") from exc
    if record.http_headers is None:
        raise ValueError("a WARC record without an HTTP response")
    charset = charset_param(record.http_headers.get_header("Content-Type"))
    return Page(record.rec_headers.get_header("WARC-Target-URI"), charset, record.content_stream().read())
