"""Documents stage for feeds and pages: poll the due sources of the given feed batches.

For each due source (polled in parallel across hosts, one request at a time per host):
  feed  conditional GET → 304 or an unchanged body (same SHA-256): nothing parsed, nothing new.
        A new body → feedparser → entries not seen in this feed before → each entry's page fetched
        (robots.txt honoured) and kept as the entry's document; when the page cannot be used (HTTP
        error, robots.txt, not HTML, too large, no link, per-poll page limit) the entry itself is the
        document and feed_entries.page_error says why. A link already fetched, for this feed or
        another, is not fetched again: one article reached through two feeds is one article.
  page  conditional GET → a new body is a document (a new version of the page, if it changed).
Every request is logged in `fetches` (feed bodies kept there when new), and the source's health in
`sources`. A source's results are written together once its pages are in (with those of the other
sources finished in the same few seconds), so a run killed half-way keeps what it finished and the
next run polls the rest.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from pipelines.core.feed_entry import FEED_ENTRY, FeedEntry
from pipelines.core.fetch.client import FEED_ACCEPT, PAGE_ACCEPT, Fetcher, FetchResult
from pipelines.core.formats import HTML
from pipelines.core.ids import sha256_hex, stable_id
from pipelines.core.settings import Settings
from pipelines.core.sources.feeds import FeedError, ParsedFeed, parse_feed
from pipelines.core.sources.pages import page_content_type
from pipelines.core.sources.registry import Source, is_due, is_feed_key, record_failure, record_success, sync_sources
from pipelines.core.sources.sources_file import SourcesFileError, load_sources
from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, utcnow
from pipelines.core.urls import canonical_url

FLUSH_SECONDS = 5.0
FLUSH_BYTES = 64 * 1024 * 1024


@dataclass
class _Entry:
    entry: FeedEntry
    canonical: str | None
    page_status: str = "entry_only"  # fetched | known_link | entry_only
    page_error: str | None = None
    page: FetchResult | None = None
    document_id: str | None = None  # of its page: fetched now, or before (known_link)
    # Entries of this run whose link is the same page, waiting for this entry's fetch: (their poll, them).
    sharers: list[tuple[_Work, _Entry]] = field(default_factory=list)


@dataclass
class _Work:
    """One source's poll, until everything it fetched is written."""

    source: Source
    fetch: FetchResult
    outcome: str = "error"
    error: str | None = None
    parsed: ParsedFeed | None = None
    entries: list[_Entry] = field(default_factory=list)
    pending: int = 0


def _guarded(url: str, call: Callable[[], FetchResult]) -> Callable[[], FetchResult]:
    """A fetch that turns a bug (an exception the client did not expect) into a failed fetch, so one odd
    URL cannot stop a whole poll; the error asks for a report."""

    def run() -> FetchResult:
        try:
            return call()
        except Exception as exc:
            return FetchResult(
                url,
                utcnow(),
                "error",
                error=f"internal error ({type(exc).__name__}: {exc}); please report it with this URL",
            )

    return run


def _document_id(kind: str, uri: str, locator: str | None, raw: bytes) -> str:
    """The same bytes from the same place, through whichever feed, are one document."""
    return stable_id(kind, uri, locator or "", sha256_hex(raw))


def _document(
    source: Source,
    uri: str,
    locator: str | None,
    raw: bytes,
    content_type: str,
    run_id: str,
    now: datetime,
    charset: str | None = None,
) -> dict[str, Any]:
    digest = sha256_hex(raw)
    return {
        "document_id": _document_id(source.kind, uri, locator, raw),
        "batch_key": source.batch_key,
        "source_kind": source.kind,
        "source_id": source.source_id,
        "uri": uri,
        "locator": locator,
        "content_type": content_type,
        "size_bytes": len(raw),
        "sha256": digest,
        "raw": raw,
        "raw_truncated": False,
        "fetched_at": now,
        "declared_charset": charset,
        "run_id": run_id,
    }


def _fetch_row(
    source: Source,
    result: FetchResult,
    purpose: str,
    outcome: str,
    run_id: str,
    error: str | None = None,
    raw: bytes | None = None,
) -> dict[str, Any]:
    return {
        "fetch_id": stable_id("fetch", purpose, result.url, result.requested_at.isoformat()),
        "source_id": source.source_id,
        "batch_key": source.batch_key,
        "purpose": purpose,
        "url": result.url,
        "final_url": result.final_url,
        "requested_at": result.requested_at,
        "seconds": result.seconds,
        "attempts": result.attempts,
        "http_status": result.status,
        "outcome": outcome,
        "error": error or result.error,
        "content_type": result.content_type,
        "etag": result.etag,
        "last_modified": result.last_modified,
        "size_bytes": len(result.body) if result.body is not None else None,
        "body_sha256": result.sha256,
        "raw": raw,
        "run_id": run_id,
    }


def _share_page(item: _Entry, claimant: _Entry) -> None:
    """`item` links to the page `claimant` fetched in this run: it takes that page's document, or, when the
    page could not be used, stays its own document (the entry's text) with the reason."""
    if claimant.page_status == "fetched":
        item.page_status, item.document_id = "known_link", claimant.document_id
    else:
        item.page_error = f"its link is the page of another entry, which could not be used: {claimant.page_error}"


class _Pending:
    """Polled sources waiting to be written together. One transaction per source would cost ~0.1 s of
    fixed overhead each; a flush every few seconds (or 64 MiB) keeps what a crash can lose small."""

    def __init__(self) -> None:
        self.sources: list[dict[str, Any]] = []
        self.fetches: list[dict[str, Any]] = []
        self.entries: list[dict[str, Any]] = []
        self.documents: list[dict[str, Any]] = []
        self.bytes = 0
        self.since = time.monotonic()

    def add(
        self,
        source: Source,
        fetches: list[dict[str, Any]],
        entries: list[dict[str, Any]],
        documents: list[dict[str, Any]],
    ) -> None:
        self.sources.append(asdict(source))
        self.fetches += fetches
        self.entries += entries
        self.documents += documents
        self.bytes += sum(len(d["raw"]) for d in documents) + sum(len(f["raw"] or b"") for f in fetches)

    def full(self) -> bool:
        return self.bytes >= FLUSH_BYTES or time.monotonic() - self.since >= FLUSH_SECONDS

    def flush(self, session: Session) -> None:
        if not self.sources:
            return
        with session.transaction():
            session.insert_new("fetches", self.fetches, ["fetch_id"])
            session.upsert("sources", self.sources, ["source_id"])
            session.insert_new("feed_entries", self.entries, ["entry_key"])
            session.insert_new("documents", self.documents, ["document_id"])
            # Health and the fetch log are news for analysts too: publish even when no document came.
            session.bump_data_version("documents" if self.documents else "sources")
        self.__init__()


class _Poll:
    """The event loop of one poll: fetches run on worker threads; everything that reads or writes the
    warehouse runs here, on the caller's thread (a DuckDB connection is not shared across threads)."""

    def __init__(
        self, session: Session, fetcher: Fetcher, settings: Settings, run_id: str, report: StageReport
    ) -> None:
        self.session = session
        self.fetcher = fetcher
        self.settings = settings
        self.run_id = run_id
        self.report = report
        self.claimed: dict[str, _Entry] = {}  # canonical URL -> the entry whose fetch of it this run makes
        self.counts: dict[str, int] = {}
        self.pending = _Pending()
        self._inflight: dict[Future[FetchResult], Callable[[FetchResult], None]] = {}

    def _count(self, key: str, n: int = 1) -> None:
        self.counts[key] = self.counts.get(key, 0) + n

    def run(self, due: list[Source]) -> None:
        with ThreadPoolExecutor(max_workers=max(1, self.settings.fetch.workers)) as pool:
            self._pool = pool
            for source in due:
                accept = FEED_ACCEPT if source.kind == "feed" else PAGE_ACCEPT
                self._submit(
                    source.url,
                    lambda s=source, a=accept: self.fetcher.get(
                        s.url, accept=a, etag=s.etag, last_modified=s.last_modified, obey_robots=s.kind == "page"
                    ),
                    lambda result, s=source: self._on_source(s, result),
                )
            while self._inflight:
                done, _ = wait(self._inflight, return_when=FIRST_COMPLETED)
                for future in done:
                    self._inflight.pop(future)(future.result())
        self.pending.flush(self.session)

    def _submit(self, url: str, call: Callable[[], FetchResult], then: Callable[[FetchResult], None]) -> None:
        self._inflight[self._pool.submit(_guarded(url, call))] = then

    # -- a source's own fetch -------------------------------------------------------------------
    def _on_source(self, source: Source, result: FetchResult) -> None:
        work = _Work(source, result)
        self._count("polled")
        if result.outcome == "not_modified":
            work.outcome = "not_modified"
        elif not result.ok:
            work.error = result.error
        elif result.sha256 == source.body_sha256:
            work.outcome = "unchanged"
        elif source.kind == "page":
            work.outcome = "new"
        else:
            self._read_feed(work)
        if work.outcome in ("not_modified", "unchanged"):
            self._count(work.outcome)
        if not work.pending:
            self._write(work)

    def _read_feed(self, work: _Work) -> None:
        result = work.fetch
        try:
            work.parsed = parse_feed(result.body or b"", result.final_url or result.url, result.content_type)
        except FeedError as exc:
            work.error = str(exc)
            return
        except Exception as exc:  # a feedparser bug must not stop the other feeds
            work.error = f"internal error parsing the feed ({type(exc).__name__}: {exc}); please report it"
            return
        work.outcome = "new"
        source = work.source
        candidates = [(stable_id(source.source_id, e.key), e) for e in work.parsed.entries]
        known = (
            {
                row["entry_key"]
                for row in self.session.query_with("known_feed_entries", [{"entry_key": k} for k, _ in candidates])
            }
            if candidates
            else set()
        )
        fresh = [_Entry(e, canonical_url(e.link)) for k, e in candidates if k not in known]
        links = [{"canonical_url": e.canonical} for e in fresh if e.canonical]
        fetched_before = (
            {row["canonical_url"]: row["document_id"] for row in self.session.query_with("known_links", links)}
            if links
            else {}
        )
        budget = self.settings.fetch.max_pages_per_poll
        for item in fresh:
            if item.canonical is None:
                item.page_error = "the entry has no http(s) link"
            elif item.canonical in fetched_before:
                item.page_status, item.document_id = "known_link", fetched_before[item.canonical]
            elif item.canonical in self.claimed:
                # Another entry of this run (this feed or another) fetches the same page: this one takes
                # that page's document, or falls back to its own text if the page cannot be used.
                claimant = self.claimed[item.canonical]
                if claimant.page is None:
                    claimant.sharers.append((work, item))
                    work.pending += 1
                else:
                    _share_page(item, claimant)
            elif budget <= 0:
                item.page_error = (
                    f"over the limit of {self.settings.fetch.max_pages_per_poll} pages per feed and poll "
                    "(NEWS_FETCH_MAX_PAGES_PER_POLL)"
                )
            else:
                budget -= 1
                self.claimed[item.canonical] = item
                work.pending += 1
                link = item.entry.link or ""
                self._submit(
                    link,
                    lambda url=link: self.fetcher.get(url, accept=PAGE_ACCEPT, obey_robots=True),
                    lambda page, w=work, i=item: self._on_page(w, i, page),
                )
        work.entries = fresh

    def _on_page(self, work: _Work, item: _Entry, page: FetchResult) -> None:
        item.page = page
        if not page.ok:
            item.page_error = page.error
        elif page_content_type(page) != HTML:
            item.page_error = f"the page is {page.media_type or 'of no stated type'}, not HTML"
        else:
            item.page_status = "fetched"
            item.document_id = _document_id("feed", page.final_url or page.url, None, page.body or b"")
        waiting = [work]
        for sharer_work, sharer in item.sharers:
            _share_page(sharer, item)
            waiting.append(sharer_work)
        for done in waiting:  # a poll is written once every page it waits for is in
            done.pending -= 1
        for done in {id(w): w for w in waiting}.values():
            if not done.pending:
                self._write(done)

    # -- writing --------------------------------------------------------------------------------
    def _health(self, work: _Work, now: datetime) -> Source:
        result = work.fetch
        if work.error:
            self._count("failed")
            return record_failure(work.source, now, work.error, result.status)
        parsed = work.parsed
        return record_success(
            work.source,
            now,
            http_status=result.status,
            etag=result.etag,
            last_modified=result.last_modified,
            body_sha256=result.sha256,
            warning=parsed.warning if parsed else None,
            feed_title=parsed.title if parsed else None,
            feed_version=parsed.version if parsed else None,
        )

    def _entry_document(self, source: Source, item: _Entry, now: datetime) -> dict[str, Any] | None:
        """The entry's page when it was used, else the entry itself; None for a link fetched before."""
        if item.page_status == "fetched" and item.page is not None and item.page.body is not None:
            url = item.page.final_url or item.page.url
            return _document(source, url, None, item.page.body, HTML, self.run_id, now, item.page.charset)
        if item.page_status == "entry_only":
            raw = item.entry.to_json().encode()
            return _document(source, source.url, f"entry {item.entry.key}", raw, FEED_ENTRY, self.run_id, now)
        return None

    def _write(self, work: _Work) -> None:
        source, result, now = work.source, work.fetch, utcnow()
        # A feed body is kept when it is new, or when it could not be parsed (the evidence); a page
        # source's body is kept once, as its document.
        keep = source.kind == "feed" and result.ok and work.outcome in ("new", "error")
        fetches = [
            _fetch_row(
                source, result, source.kind, work.outcome, self.run_id, work.error, raw=result.body if keep else None
            )
        ]
        documents: list[dict[str, Any]] = []
        if source.kind == "page" and work.outcome == "new" and result.body is not None:
            url = result.final_url or result.url
            documents.append(
                _document(source, url, None, result.body, page_content_type(result), self.run_id, now, result.charset)
            )
        entries: list[dict[str, Any]] = []
        for item in work.entries:
            if item.page is not None:
                used = item.page_status == "fetched"
                fetches.append(
                    _fetch_row(
                        source,
                        item.page,
                        "entry_page",
                        "new" if used else "error",
                        self.run_id,
                        None if used else item.page_error,
                    )
                )
            doc = self._entry_document(source, item, now)
            if doc is not None:
                documents.append(doc)
            self._count(item.page_status)
            document_id = doc["document_id"] if doc else item.document_id
            entries.append(self._entry_row(source, item, document_id, fetches[0]["fetch_id"], now))
        self.pending.add(self._health(work, now), fetches, entries, documents)
        if self.pending.full():
            self.pending.flush(self.session)
        self.report.new += len(documents)
        self._count("entries_new", len(entries))

    def _entry_row(
        self, source: Source, item: _Entry, document_id: str | None, fetch_id: str, now: datetime
    ) -> dict[str, Any]:
        entry = item.entry
        return {
            "entry_key": stable_id(source.source_id, entry.key),
            "source_id": source.source_id,
            "batch_key": source.batch_key,
            "entry_id": entry.key,
            "link": entry.link,
            "canonical_url": item.canonical,
            "title": entry.title,
            "published_at": datetime.fromisoformat(entry.published).replace(tzinfo=None) if entry.published else None,
            "entry": entry.to_json(),
            "document_id": document_id,
            "page_status": item.page_status,
            "page_error": item.page_error,
            "fetch_id": fetch_id,
            "first_seen_at": now,
            "run_id": self.run_id,
        }


def poll_source_shards(
    session: Session, settings: Settings, batch_keys: Iterable[str], run_id: str, poll_now: str | None = None
) -> StageReport:
    """Sync the sources file into `sources` for the feed batches in `batch_keys`, then poll the due ones.
    `poll_now` polls sources whatever their schedule or back-off says: every enabled one ("all"), or the
    one with this name, URL or id (`python -m pipelines poll --now`)."""
    keys = sorted(k for k in set(batch_keys) if is_feed_key(k))
    report = StageReport("feeds", keys, run_id)
    now = utcnow()
    stored = [Source(**row) for row in session.query("sources_in_batches", batch_keys=keys)]
    try:
        synced = sync_sources(load_sources(settings.sources_file), stored, keys, now)
    except SourcesFileError as exc:
        # A typo in the file must neither stop the run nor disable every source: poll them as last read.
        report.details["sources_file_error"] = f"{exc}; polling the sources as last read"
        synced = stored
    changed = [s for s in synced if s not in stored]
    if changed:
        with session.transaction():
            session.upsert("sources", [asdict(s) for s in changed], ["source_id"])
            session.bump_data_version("sources")
    due = [s for s in synced if is_due(s, now) or (s.enabled and poll_now in ("all", *s.names))]
    report.rows_in = len(due)
    poll = None
    if due:
        with Fetcher(settings.fetch, settings.max_document_bytes) as fetcher:
            poll = _Poll(session, fetcher, settings, run_id, report)
            poll.run(due)
    counts = poll.counts if poll else {}
    report.duplicate = counts.get("not_modified", 0) + counts.get("unchanged", 0)
    report.details.update(
        sources=len(synced),
        sources_enabled=sum(s.enabled for s in synced),
        sources_due=len(due),
        **{
            k: counts.get(k, 0)
            for k in ("failed", "not_modified", "unchanged", "entries_new", "fetched", "known_link", "entry_only")
        },
    )
    return report.finish(session)
