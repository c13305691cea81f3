"""The HTTP client against a server the test starts on 127.0.0.1: every failure is a result, not a crash."""

from __future__ import annotations

import gzip
import time
import zlib

import pytest

from pipelines.core.fetch.client import Fetcher
from pipelines.core.settings import FetchSettings
from tests.local_site import LocalSite, Reply, local_fetch_settings

LOCAL = local_fetch_settings(retries=2)
MAX = 64 * 1024


@pytest.fixture
def fetcher():
    with Fetcher(LOCAL, MAX) as client:
        yield client


def test_plain_get_sends_a_descriptive_user_agent(local_site: LocalSite, fetcher: Fetcher) -> None:
    url = local_site.serve("/a", Reply(body=b"hello", headers={"Content-Type": "text/plain; charset=utf-8"}))
    result = fetcher.get(url)
    assert result.ok and result.body == b"hello" and result.status == 200 and result.media_type == "text/plain"
    headers = local_site.requests[-1][1]
    assert headers["user-agent"].startswith("news-ingest/") and "gzip" in headers["accept-encoding"]


def test_loopback_is_refused_unless_allowed(local_site: LocalSite) -> None:
    url = local_site.serve("/a", Reply(body=b"secret"))
    with Fetcher(FetchSettings(retry_backoff_seconds=0.01), MAX) as strict:
        result = strict.get(url)
    assert not result.ok and "127.0.0.1 is a loopback address" in result.error
    assert "NEWS_FETCH_ALLOW_PRIVATE" in result.error
    assert local_site.hits("/a") == 0  # refused before connecting


def test_a_name_resolving_to_a_private_address_is_refused() -> None:
    def resolver(host: str, port: int) -> list[str]:
        return ["10.1.2.3"]

    with Fetcher(FetchSettings(), MAX, resolver=resolver) as strict:
        result = strict.get("http://intranet.example/")
    assert "intranet.example resolves to 10.1.2.3, a private-network address" in result.error


def test_a_redirect_to_a_refused_address_is_refused(local_site: LocalSite, fetcher: Fetcher) -> None:
    port = local_site.base.rsplit(":", 1)[1]
    url = local_site.serve("/r", Reply(302, headers={"Location": f"http://127.0.0.2:{port}/x"}))
    result = fetcher.get(url)
    assert "127.0.0.2 is a loopback address" in result.error and "after redirects" in result.error


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.com/feed", "javascript:alert(1)", "/relative", "http://[::1"]
)
def test_only_http_and_https(fetcher: Fetcher, url: str) -> None:
    result = fetcher.get(url)
    assert not result.ok and result.attempts == 0
    assert "only http and https" in result.error or "not a valid URL" in result.error


def test_a_host_name_that_cannot_be_encoded_is_an_error_not_a_crash(fetcher: Fetcher) -> None:
    result = fetcher.get("http://xn--a.example/")  # invalid punycode: refused before any lookup
    assert not result.ok and result.error.startswith("not a valid URL")


def test_redirect_to_another_scheme_is_refused(local_site: LocalSite, fetcher: Fetcher) -> None:
    url = local_site.serve("/r", Reply(301, headers={"Location": "file:///etc/passwd"}))
    assert "only http and https" in fetcher.get(url).error


def test_conditional_get_gets_304(local_site: LocalSite, fetcher: Fetcher) -> None:
    url = local_site.serve("/feed", Reply(body=b"<rss/>", etag='"v1"', last_modified="Mon, 01 Jan 2024 00:00:00 GMT"))
    first = fetcher.get(url)
    assert first.ok and first.etag == '"v1"' and first.last_modified.startswith("Mon")
    second = fetcher.get(url, etag=first.etag, last_modified=first.last_modified)
    assert second.outcome == "not_modified" and second.body is None and second.status == 304
    assert local_site.requests[-1][1]["if-none-match"] == '"v1"'


def test_redirects_are_followed_and_loops_named(local_site: LocalSite, fetcher: Fetcher) -> None:
    local_site.serve("/old", Reply(301, headers={"Location": "/new"}))
    local_site.serve("/new", Reply(body=b"moved"))
    result = fetcher.get(local_site.url("/old"))
    assert result.body == b"moved" and result.final_url == local_site.url("/new")
    local_site.serve("/a", Reply(302, headers={"Location": "/b"}))
    local_site.serve("/b", Reply(302, headers={"Location": "/a"}))
    loop = fetcher.get(local_site.url("/a"))
    assert loop.error.startswith("redirect loop:") and loop.attempts == 1
    for i in range(8):
        local_site.serve(f"/hop{i}", Reply(302, headers={"Location": f"/hop{i + 1}"}))
    assert fetcher.get(local_site.url("/hop0")).error.startswith("more than 5 redirects")
    local_site.serve("/bad", Reply(302, headers={"Location": "http://[::1"}))  # a URL nobody can follow
    bad = fetcher.get(local_site.url("/bad"))
    assert bad.error.startswith("the server redirected to a malformed URL") and bad.attempts == 1


def test_server_error_is_retried_then_succeeds(local_site: LocalSite, fetcher: Fetcher) -> None:
    url = local_site.serve("/flaky", Reply(500, b"oops"), Reply(body=b"fine"))
    result = fetcher.get(url)
    assert result.ok and result.body == b"fine" and result.attempts == 2


def test_persistent_errors_give_up_with_a_reason(local_site: LocalSite, fetcher: Fetcher) -> None:
    url = local_site.serve("/down", Reply(503, b"busy"))
    result = fetcher.get(url)
    assert result.error == "HTTP 503 Service Unavailable (3 attempts)" and result.status == 503
    missing = fetcher.get(local_site.url("/nothing-here"))
    assert missing.error == "HTTP 404 Not Found" and missing.attempts == 1  # 4xx is not retried


def test_timeout(local_site: LocalSite) -> None:
    url = local_site.serve("/slow", Reply(body=b"late", delay=1.0))
    quick = local_fetch_settings(timeout_seconds=0.2, retries=1)
    started = time.monotonic()
    with Fetcher(quick, MAX) as client:
        result = client.get(url)
    assert result.error.startswith("timed out after 0.2 s") and "(2 attempts)" in result.error
    assert time.monotonic() - started < 2


def test_truncated_body(local_site: LocalSite, fetcher: Fetcher) -> None:
    url = local_site.serve("/cut", Reply(body=b"x" * 5000, truncate_to=100))
    result = fetcher.get(url)
    assert not result.ok and "connection closed before the whole body arrived" in result.error


def test_oversized_body_is_refused_declared_or_streamed(local_site: LocalSite, fetcher: Fetcher) -> None:
    url = local_site.serve("/big", Reply(body=b"x" * (MAX + 1)))
    assert fetcher.get(url).error.startswith("response larger than 0.1 MiB")
    # no Content-Length: the stream is cut at the limit
    chunked = local_site.serve("/big2", Reply(body=b"y" * (MAX * 3), until_close=True))
    assert "larger than" in fetcher.get(chunked).error


def test_gzip_and_deflate_are_decoded(local_site: LocalSite, fetcher: Fetcher) -> None:
    text = b"<p>compressed body</p>" * 50
    local_site.serve("/gz", Reply(body=gzip.compress(text), headers={"Content-Encoding": "gzip"}))
    local_site.serve("/zl", Reply(body=zlib.compress(text), headers={"Content-Encoding": "deflate"}))
    raw = zlib.compressobj(wbits=-zlib.MAX_WBITS)
    local_site.serve("/raw", Reply(body=raw.compress(text) + raw.flush(), headers={"Content-Encoding": "deflate"}))
    for path in ("/gz", "/zl", "/raw"):
        assert fetcher.get(local_site.url(path)).body == text, path


def test_gzip_bomb_is_cut_at_the_size_cap(local_site: LocalSite, fetcher: Fetcher) -> None:
    bomb = gzip.compress(b"\0" * (50 * 1024 * 1024), compresslevel=9)  # 50 MiB → ~50 KB
    assert len(bomb) < MAX
    url = local_site.serve("/bomb", Reply(body=bomb, headers={"Content-Encoding": "gzip"}))
    started = time.monotonic()
    result = fetcher.get(url)
    assert result.error.startswith("response larger than") and time.monotonic() - started < 2


def test_corrupt_gzip(local_site: LocalSite, fetcher: Fetcher) -> None:
    url = local_site.serve("/bad", Reply(body=b"not gzip at all", headers={"Content-Encoding": "gzip"}))
    assert fetcher.get(url).error.startswith("corrupt gzip body")


def test_one_request_at_a_time_per_host_with_a_pause(local_site: LocalSite) -> None:
    url = local_site.serve("/p", Reply(body=b"ok"))
    polite = local_fetch_settings(host_delay_seconds=0.3)
    with Fetcher(polite, MAX) as client:
        started = time.monotonic()
        client.get(url)
        client.get(url)
        client.get(url)
    assert time.monotonic() - started >= 0.6


def test_robots_txt_is_honoured_for_pages(local_site: LocalSite, fetcher: Fetcher) -> None:
    local_site.serve("/robots.txt", Reply(body=b"User-agent: news-ingest\nDisallow: /private/\n"))
    local_site.serve("/private/a", Reply(body=b"hidden"))
    local_site.serve("/public/a", Reply(body=b"open"))
    blocked = fetcher.get(local_site.url("/private/a"), obey_robots=True)
    assert "robots.txt disallows it" in blocked.error and local_site.hits("/private/a") == 0
    assert fetcher.get(local_site.url("/public/a"), obey_robots=True).body == b"open"
    assert fetcher.get(local_site.url("/private/a")).ok  # feeds are not pages: robots.txt is not asked
    assert local_site.hits("/robots.txt") == 1  # read once per site


def test_robots_txt_missing_allows_and_broken_defers(local_site: LocalSite) -> None:
    local_site.serve("/a", Reply(body=b"page"))
    with Fetcher(LOCAL, MAX) as client:
        assert client.get(local_site.url("/a"), obey_robots=True).ok  # 404 robots.txt: everything allowed
    local_site.serve("/robots.txt", Reply(500, b"down"))
    with Fetcher(LOCAL, MAX) as client:
        result = client.get(local_site.url("/a"), obey_robots=True)
    assert "robots.txt could not be read (HTTP 500" in result.error


def test_robots_txt_wildcards_follow_rfc_9309(local_site: LocalSite, fetcher: Fetcher) -> None:
    """Issue 20.5: urllib.robotparser ignores `*` and `$`, so pages a site disallowed were fetched."""
    rules = b"User-agent: *\nDisallow: /*?print=\nDisallow: /*.pdf$\nAllow: /news/*/open\nDisallow: /news/\n"
    local_site.serve("/robots.txt", Reply(body=rules))
    paths = ("/story?print=1", "/files/report.pdf", "/news/2024/closed", "/news/2024/open", "/files/a.pdf?x=1")
    for path in paths:
        local_site.serve(path, Reply(body=b"<html>page</html>"))
    refused = {path for path in paths if not fetcher.get(local_site.url(path), obey_robots=True).ok}
    assert refused == {"/story?print=1", "/files/report.pdf", "/news/2024/closed"}
