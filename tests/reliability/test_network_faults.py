"""Network faults against servers the test runs on 127.0.0.1 (and names that cannot resolve): each ends
as a recorded fetch error with a reason, within a bounded time, and a poll over all of them succeeds."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import pytest

from pipelines.core.fetch.client import DOWNLOAD_TIMEOUTS, FEED_ACCEPT, Fetcher
from pipelines.core.settings import Settings
from pipelines.core.sources.registry import feed_shard_keys
from tests.integration.helpers import materialize_range, published_rows
from tests.local_site import local_fetch_settings
from tests.reliability.raw_server import RawServer

MB = 1024 * 1024


@pytest.fixture
def server():
    with RawServer() as raw:
        yield raw


def _fetch(url: str, **overrides: object):
    with Fetcher(local_fetch_settings(**({"retries": 0} | overrides)), MB) as fetcher:
        started = time.monotonic()
        result = fetcher.get(url, accept=FEED_ACCEPT)
        return result, time.monotonic() - started


def test_connection_reset_mid_body(server: RawServer) -> None:
    result, _ = _fetch(server.url("/reset"))
    assert not result.ok and result.body is None
    assert any(w in result.error for w in ("reset", "closed", "dropped")), result.error


def test_slow_drip_hits_the_whole_download_deadline(server: RawServer) -> None:
    result, seconds = _fetch(server.url("/drip"), timeout_seconds=0.5, retries=1)
    assert not result.ok and result.body is None
    assert seconds < 0.5 * DOWNLOAD_TIMEOUTS + 2  # a deadline, not just a per-read timeout
    # Named as the deadline (the server is too slow), and not retried: another try would drip as slowly.
    assert "did not finish within 3 s" in result.error and "sends too slowly" in result.error, result.error
    assert result.attempts == 1


def test_429_retry_after_is_honoured(server: RawServer) -> None:
    with Fetcher(local_fetch_settings(retries=2, retry_backoff_seconds=0.01), MB) as fetcher:
        started = time.monotonic()
        result = fetcher.get(server.url("/limited"), accept=FEED_ACCEPT)
        waited = time.monotonic() - started
    assert result.ok and result.attempts == 2 and b"After a 429" in result.body
    assert waited >= 1.0  # the server said wait 1 s; the backoff alone would have waited 0.01 s


def test_endless_redirects_stop(server: RawServer) -> None:
    result, _ = _fetch(server.url("/endless"))
    assert not result.ok and "more than 5 redirects" in result.error, result.error
    assert server.hits.total() == 6  # the first request and max_redirects hops, then stop


def test_tls_error_is_a_reason_not_a_crash(server: RawServer) -> None:
    result, _ = _fetch(server.url("/reset", scheme="https"))  # TLS handshake with a plain-HTTP server
    assert not result.ok and any(w in result.error.lower() for w in ("ssl", "tls", "handshake")), result.error


def test_dns_failure() -> None:
    result, seconds = _fetch("http://no-such-host.invalid/feed.xml")
    assert not result.ok and seconds < 30
    assert any(w in result.error.lower() for w in ("resolve", "name", "dns")), result.error


def test_a_poll_over_every_fault_succeeds_and_records_health(
    settings: Settings, server: RawServer, tmp_path: Path
) -> None:
    feeds = ["/reset", "/drip", "/limited", "/endless"]
    sources = tmp_path / "sources.yaml"
    lines = [f"  - {server.url(p)}" for p in feeds] + [
        f"  - {server.url('/tls', scheme='https')}",
        "  - http://no-such-host.invalid/feed.xml",
    ]
    sources.write_text("feeds:\n" + "\n".join(lines) + "\n", encoding="utf-8")
    settings = replace(
        settings,
        sources_file=sources,
        fetch=local_fetch_settings(timeout_seconds=0.5, retries=1, retry_backoff_seconds=0.01),
    )
    assert materialize_range(settings, feed_shard_keys()).success
    health = dict(published_rows(settings, "SELECT url, coalesce(last_error, 'ok') FROM sources"))
    assert health[server.url("/limited")] == "ok"
    for path in ("/reset", "/drip", "/endless"):
        assert health[server.url(path)] != "ok"
    assert health["http://no-such-host.invalid/feed.xml"] != "ok"
    assert published_rows(settings, "SELECT count(*) FROM articles WHERE title = 'After a 429'")[0][0] == 1
