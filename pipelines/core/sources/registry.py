"""The `sources` table: which feeds and pages exist, which batch each belongs to, and how each is doing.

Batches: a source belongs to shard feeds-NN by a hash of its id, forever, so the feed range
feeds-00..feeds-07 is a fixed set of partitions however many sources there are, and one run (the
schedule's) covers them all.

Health: every poll records success or failure. A failing source is polled again after its interval,
then after twice that, four times… up to a day ("backed off, not hammered"); one success resets it.
A source removed from the sources file is disabled (status 'removed'), never deleted: its documents,
entries and fetch log stay, and adding it back resumes it where it was.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from pipelines.core.sources.sources_file import DEFAULT_FEED_POLL_MINUTES, DeclaredSource

FEED_SHARD_COUNT = 8
FEED_PREFIX = "feeds-"
MAX_BACKOFF = timedelta(days=1)
# A source is due when its next poll falls within this much of now, so a 30-minute schedule tick
# catches a source with a 30-minute interval even if the last poll ended a few seconds past the tick.
DUE_GRACE = timedelta(minutes=1)


def feed_shard_keys() -> list[str]:
    return [f"{FEED_PREFIX}{i:02d}" for i in range(FEED_SHARD_COUNT)]


def is_feed_key(key: str) -> bool:
    return key.startswith(FEED_PREFIX)


def feed_batch_key(source_id: str) -> str:
    return f"{FEED_PREFIX}{int(source_id[:8], 16) % FEED_SHARD_COUNT:02d}"


@dataclass(frozen=True)
class Source:
    """One row of `sources` (see warehouse/migrations/002_feeds.sql for every column's meaning)."""

    source_id: str
    kind: str
    url: str
    batch_key: str
    added_at: datetime
    updated_at: datetime
    name: str | None = None
    tags: list[str] = field(default_factory=list)
    poll_minutes: int | None = None
    enabled: bool = True
    status: str = "new"
    removed_at: datetime | None = None
    last_polled_at: datetime | None = None
    last_success_at: datetime | None = None
    last_error_at: datetime | None = None
    last_error: str | None = None
    last_warning: str | None = None
    consecutive_failures: int = 0
    next_poll_at: datetime | None = None
    http_status: int | None = None
    etag: str | None = None
    last_modified: str | None = None
    body_sha256: str | None = None
    feed_title: str | None = None
    feed_version: str | None = None

    @property
    def interval(self) -> timedelta | None:
        return timedelta(minutes=self.poll_minutes) if self.poll_minutes else None

    @property
    def names(self) -> list[str]:
        """What a person may call it: its id, its URL and its name in the sources file."""
        return [self.source_id, self.url, *([self.name] if self.name else [])]


def _status(source: Source) -> str:
    if not source.enabled:
        return source.status
    if source.consecutive_failures:
        return "failing"
    return "ok" if source.last_success_at else "new"


def is_due(source: Source, now: datetime) -> bool:
    """Enabled, and its next poll time has come; a page without an interval is fetched once."""
    if not source.enabled:
        return False
    if source.interval is None and source.last_success_at is not None:
        return False
    return source.next_poll_at is None or source.next_poll_at <= now + DUE_GRACE


def _declared_row(declared: DeclaredSource, old: Source | None, now: datetime) -> Source:
    config = {
        "kind": declared.kind,
        "url": declared.url,
        "name": declared.name,
        "tags": list(declared.tags),
        "poll_minutes": declared.poll_minutes,
    }
    if old is None:
        base = Source(
            declared.source_id, batch_key=feed_batch_key(declared.source_id), added_at=now, updated_at=now, **config
        )
    else:
        changed = any(getattr(old, k) != v for k, v in config.items()) or not old.enabled
        base = replace(old, **config, updated_at=now if changed else old.updated_at, removed_at=None, enabled=True)
        if old.poll_minutes != declared.poll_minutes and not old.consecutive_failures and old.last_polled_at:
            base = replace(base, next_poll_at=old.last_polled_at + base.interval if base.interval else None)
    if declared.problem:
        return replace(
            base,
            enabled=False,
            status="invalid",
            last_error=declared.problem,
            updated_at=now if base.last_error != declared.problem else base.updated_at,
        )
    if old is not None and old.status == "invalid":
        base = replace(base, last_error=None)
    return replace(base, status=_status(base))


def sync_sources(
    declared: Iterable[DeclaredSource], stored: Iterable[Source], batch_keys: Iterable[str], now: datetime
) -> list[Source]:
    """Rows of `sources` for the given feed batches after reading the sources file: new entries added,
    changed ones updated (their poll history kept), entries no longer in the file disabled."""
    keys = set(batch_keys)
    old = {s.source_id: s for s in stored}
    rows: dict[str, Source] = {}
    for entry in declared:
        if feed_batch_key(entry.source_id) in keys:
            rows[entry.source_id] = _declared_row(entry, old.get(entry.source_id), now)
    for source in old.values():
        if source.source_id not in rows and source.batch_key in keys:
            gone = source.status == "removed"
            rows[source.source_id] = replace(
                source,
                enabled=False,
                status="removed",
                removed_at=source.removed_at if gone else now,
                updated_at=source.updated_at if gone else now,
            )
    return sorted(rows.values(), key=lambda s: s.source_id)


def record_success(
    source: Source,
    now: datetime,
    *,
    http_status: int | None,
    etag: str | None,
    last_modified: str | None,
    body_sha256: str | None,
    warning: str | None = None,
    feed_title: str | None = None,
    feed_version: str | None = None,
) -> Source:
    """The source after a poll that worked (new body, unchanged body or 304)."""
    done = replace(
        source,
        last_polled_at=now,
        last_success_at=now,
        consecutive_failures=0,
        next_poll_at=now + source.interval if source.interval else None,
        http_status=http_status,
        etag=etag or source.etag,
        last_modified=last_modified or source.last_modified,
        body_sha256=body_sha256 or source.body_sha256,
        last_warning=warning,
        feed_title=feed_title or source.feed_title,
        feed_version=feed_version or source.feed_version,
    )
    return replace(done, status=_status(done))


def record_failure(source: Source, now: datetime, error: str, http_status: int | None = None) -> Source:
    """The source after a failed poll: the error kept, the next poll pushed back exponentially."""
    failures = source.consecutive_failures + 1
    base = source.interval or timedelta(minutes=DEFAULT_FEED_POLL_MINUTES)
    backoff = min(base * 2 ** min(failures - 1, 16), MAX_BACKOFF)
    failed = replace(
        source,
        last_polled_at=now,
        last_error_at=now,
        last_error=error,
        consecutive_failures=failures,
        next_poll_at=now + backoff,
        http_status=http_status,
    )
    return replace(failed, status=_status(failed))
