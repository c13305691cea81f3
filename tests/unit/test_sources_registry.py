"""The sources file and the sources table: sync, due, health, back-off."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from pipelines.core.sources.registry import (
    MAX_BACKOFF,
    feed_batch_key,
    feed_shard_keys,
    is_due,
    record_failure,
    record_success,
    sync_sources,
)
from pipelines.core.sources.sources_file import SourcesFileError, parse_sources, source_id

NOW = datetime(2024, 5, 1, 12, 0)
ALL = feed_shard_keys()

FILE = """
defaults:
  poll_minutes: 15
feeds:
  - https://a.example/rss
  - url: https://b.example/atom.xml
    name: B news
    poll_minutes: 60
    tags: [world, 2024]
  - url: HTTPS://A.EXAMPLE/rss?utm_source=x   # the same feed as the first: listed once
  - url: ftp://c.example/feed
  - url: https://d.example/feed
    pol_minutes: 5
pages:
  - https://e.example/article.html
"""


def test_sources_file_entries_defaults_and_problems() -> None:
    a, b, ftp, typo, page = parse_sources(FILE)
    assert (a.kind, a.url, a.poll_minutes, a.problem) == ("feed", "https://a.example/rss", 15, None)
    assert (b.name, b.tags, b.poll_minutes) == ("B news", ("world", "2024"), 60)
    assert "only http and https" in ftp.problem and "unknown field(s) pol_minutes" in typo.problem
    assert (page.kind, page.poll_minutes) == ("page", None)
    assert a.source_id == source_id("feed", "https://a.example/rss?utm_medium=y")


def test_entries_that_are_not_urls_or_have_absurd_intervals_are_invalid_not_fatal() -> None:
    """An entry urllib cannot even split, or an interval no clock holds, is that entry's problem: the
    other entries (and the seeds) go on."""
    broken, huge, floating, fine = parse_sources(
        "feeds:\n  - 'http://[::1'\n"
        "  - {url: https://a.example/rss, poll_minutes: 99999999999999999999999}\n"
        "  - {url: https://b.example/rss, poll_minutes: 1e10}\n"
        "  - https://c.example/rss\n"
    )
    assert "not a valid URL (Invalid IPv6 URL)" in broken.problem
    for entry in (huge, floating):
        assert entry.poll_minutes is None and "from 1 to 525600 (a year)" in entry.problem
    assert fine.problem is None
    rows = sync_sources([broken, huge, floating, fine], [], ALL, NOW)
    assert sorted((row.url, row.status) for row in rows) == [
        ("http://[::1", "invalid"),
        ("https://a.example/rss", "invalid"),
        ("https://b.example/rss", "invalid"),
        ("https://c.example/rss", "new"),
    ]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("feeds: [", "not valid YAML"),
        ("- just a list", "expected a mapping"),
        ("feed:\n  - https://a.example/", "unknown section(s) feed"),
        ("feeds: https://a.example/", "'feeds' must be a list"),
        ("defaults:\n  poll_minutes: 0", "poll_minutes must be a whole number"),
    ],
)
def test_a_broken_file_is_one_clear_error(text: str, message: str) -> None:
    with pytest.raises(SourcesFileError, match=re.escape(message)):
        parse_sources(text)


def test_empty_file_means_no_sources() -> None:
    assert parse_sources("") == [] and parse_sources("feeds: []\npages:\n") == []


def test_batch_keys_cover_the_feed_range() -> None:
    keys = {feed_batch_key(source_id("feed", f"https://x.example/{i}")) for i in range(200)}
    assert keys == set(ALL) and [f"feeds-{i:02d}" for i in range(8)] == ALL


def test_sync_adds_updates_disables_and_revives() -> None:
    declared = parse_sources(FILE)
    first = sync_sources(declared, [], ALL, NOW)
    assert len(first) == 5 and {s.status for s in first} == {"new", "invalid"}
    invalid = [s for s in first if s.status == "invalid"]
    assert all(not s.enabled and s.last_error for s in invalid)

    feed = next(s for s in first if s.url == "https://a.example/rss")
    polled = record_success(feed, NOW, http_status=200, etag='"e"', last_modified=None, body_sha256="abc")
    stored = [polled if s.source_id == feed.source_id else s for s in first]

    later = NOW + timedelta(hours=1)
    renamed = parse_sources(
        FILE.replace("  - https://a.example/rss\n", "  - url: https://a.example/rss\n    name: A\n")
    )
    second = {s.source_id: s for s in sync_sources(renamed, stored, ALL, later)}
    kept = second[feed.source_id]
    assert (kept.name, kept.etag, kept.body_sha256, kept.status, kept.updated_at) == ("A", '"e"', "abc", "ok", later)
    assert sync_sources(renamed, list(second.values()), ALL, later) == sorted(
        second.values(), key=lambda s: s.source_id
    )

    without = [d for d in renamed if d.source_id != feed.source_id]
    third = {s.source_id: s for s in sync_sources(without, list(second.values()), ALL, later)}
    gone = third[feed.source_id]
    assert (gone.enabled, gone.status, gone.removed_at, gone.etag) == (False, "removed", later, '"e"')
    back = {s.source_id: s for s in sync_sources(renamed, list(third.values()), ALL, later)}[feed.source_id]
    assert (back.enabled, back.status, back.removed_at, back.etag) == (True, "ok", None, '"e"')


def test_sync_touches_only_the_batches_of_the_run() -> None:
    declared = parse_sources(FILE)
    mine = feed_batch_key(declared[0].source_id)
    rows = sync_sources(declared, [], [mine], NOW)
    assert rows and {r.batch_key for r in rows} == {mine}


def test_due_health_and_backoff() -> None:
    (feed,) = sync_sources(parse_sources("feeds:\n  - url: https://a.example/rss\n    poll_minutes: 30"), [], ALL, NOW)
    assert is_due(feed, NOW)
    ok = record_success(feed, NOW, http_status=200, etag=None, last_modified=None, body_sha256="x", warning="odd")
    assert not is_due(ok, NOW + timedelta(minutes=20)) and is_due(ok, NOW + timedelta(minutes=29, seconds=30))
    assert (ok.status, ok.last_warning, ok.consecutive_failures) == ("ok", "odd", 0)

    failing, waits = ok, []
    for n in range(1, 8):
        failing = record_failure(failing, NOW, "HTTP 500", 500)
        waits.append(failing.next_poll_at - NOW)
        assert (failing.status, failing.consecutive_failures, failing.last_success_at) == ("failing", n, NOW)
    assert waits[:4] == [timedelta(minutes=m) for m in (30, 60, 120, 240)] and waits[-1] == MAX_BACKOFF
    recovered = record_success(failing, NOW, http_status=304, etag=None, last_modified=None, body_sha256=None)
    assert (recovered.status, recovered.consecutive_failures, recovered.last_error) == ("ok", 0, "HTTP 500")


def test_a_page_is_fetched_once_unless_it_has_an_interval() -> None:
    (page,) = sync_sources(parse_sources("pages:\n  - https://e.example/a.html"), [], ALL, NOW)
    done = record_success(page, NOW, http_status=200, etag=None, last_modified=None, body_sha256="x")
    assert is_due(page, NOW) and not is_due(done, NOW + timedelta(days=365))
    assert is_due(replace(done, poll_minutes=60), NOW + timedelta(hours=2))
    assert is_due(record_failure(page, NOW, "timeout"), NOW + timedelta(minutes=31))


def test_the_example_sources_file_is_valid() -> None:
    from pipelines.core.settings import PROJECT_ROOT
    from pipelines.core.sources.sources_file import load_sources

    example = load_sources(PROJECT_ROOT / "sources.example.yaml")
    assert {s.kind for s in example} == {"feed", "page"} and not [s.problem for s in example if s.problem]
