"""The 31 feeds captured from real sites (../shared/eval/feeds/rss_parser/test/input), served on 127.0.0.1
and polled twice through the feed-poll schedule: the first poll loads their entries as articles, the
second loads nothing new, and `sources` shows each feed's health.

The files are read from ../shared at test time (never copied into the repository); the test skips when
they are absent. Absolute links in the feeds are pointed at the local server (namespace URIs excepted),
and the server answers every link with a generated article page, so nothing leaves this machine.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import dagster as dg
import pytest

from pipelines.core.settings import Settings
from pipelines.core.sources.feeds import FeedError, parse_feed
from pipelines.definitions import ALL_ASSETS, build_resources
from pipelines.defs.schedules import feed_poll_schedule
from pipelines.evaluation import eval_data_dir
from tests.feed_fixtures import article_page
from tests.integration.helpers import news_resource, published_rows
from tests.local_site import LocalSite, Reply, local_fetch_settings

FEEDS_DIR = eval_data_dir() / "feeds" / "rss_parser" / "test" / "input"
_ABSOLUTE = re.compile(rb"""(xmlns(?::[\w.-]+)?\s*=\s*["'])?https?://""")
PAGES_PER_POLL = 10

pytestmark = pytest.mark.skipif(not FEEDS_DIR.is_dir(), reason=f"captured feeds not found at {FEEDS_DIR}")


def _localized(body: bytes, base: str) -> bytes:
    """Absolute URLs point at the local server (under /ext/), namespace declarations stay as they are."""
    return _ABSOLUTE.sub(lambda m: m.group(0) if m.group(1) else f"{base}/ext/".encode(), body)


def _serve(site: LocalSite) -> dict[str, bytes]:
    feeds: dict[str, bytes] = {}
    for number, path in enumerate(sorted(FEEDS_DIR.iterdir())):
        body = _localized(path.read_bytes(), site.base)
        feeds[f"/feeds/{path.name}"] = body
        # Half the feeds answer conditional GETs with 304; the others resend the same body.
        etag = f'"{hashlib.sha256(body).hexdigest()[:16]}"' if number % 2 else None
        site.serve(f"/feeds/{path.name}", Reply(body=body, etag=etag, headers={"Content-Type": "application/xml"}))
    site.fallback = lambda path: Reply(body=article_page(path), headers={"Content-Type": "text/html; charset=utf-8"})
    return feeds


def _poll(settings: Settings) -> dg.ExecuteInProcessResult:
    """What the schedule does on a tick: evaluate it, then run the job over the run request's batches."""
    resources = build_resources(news_resource(settings))
    with dg.build_schedule_context(resources=resources) as context:
        request = feed_poll_schedule(context)
    assert isinstance(request, dg.RunRequest), request
    assert feed_poll_schedule.job_name == "ingest"
    result = dg.materialize(ALL_ASSETS, resources=resources, tags=request.tags)
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks), [(c.check_name, c.metadata) for c in checks]
    return result


def _expected_entries(feeds: dict[str, bytes], base: str) -> dict[str, int]:
    counts = {}
    for path, body in feeds.items():
        try:
            counts[base + path] = len(parse_feed(body, base + path, "application/xml").entries)
        except FeedError:
            counts[base + path] = -1
    return counts


@pytest.mark.slow
def test_real_feeds_polled_twice_through_the_schedule(local_site: LocalSite, tmp_path: Path) -> None:
    feeds = _serve(local_site)
    sources_file = tmp_path / "sources.yaml"
    settings = Settings(
        seeds_dir=tmp_path / "seeds",
        warehouse_dir=tmp_path / "warehouse",
        sources_file=sources_file,
        fetch=local_fetch_settings(max_pages_per_poll=PAGES_PER_POLL),
    )
    settings.seeds_dir.mkdir()
    with dg.build_schedule_context(resources={"news": news_resource(settings)}) as context:
        assert isinstance(feed_poll_schedule(context), dg.SkipReason)  # no sources file: nothing to poll
    sources_file.write_text(
        "feeds:\n" + "".join(f"  - url: {local_site.url(p)}\n    poll_minutes: 1\n" for p in sorted(feeds))
    )

    _poll(settings)
    expected = _expected_entries(feeds, local_site.base)
    seen = dict(
        published_rows(
            settings,
            "SELECT s.url, count(e.entry_key) FROM sources AS s "
            "LEFT JOIN feed_entries AS e USING (source_id) GROUP BY ALL",
        )
    )
    assert {url: n for url, n in seen.items()} == {url: max(n, 0) for url, n in expected.items()}
    health = {
        url.rsplit("/", 1)[-1]: tuple(rest)
        for url, *rest in published_rows(
            settings, "SELECT url, status, last_error, feed_version, last_success_at IS NOT NULL FROM sources"
        )
    }
    failing = {name: h for name, h in health.items() if h[0] != "ok"}
    assert list(failing) == ["unrecognized.rss"] and "not an RSS or Atom feed" in failing["unrecognized.rss"][1]
    assert health["guardian.rss"][2:] == ("rss20", True) and health["heise.atom"][2] == "atom10"
    assert health["craigslist.rss"][2] == "rss10"

    entries, fetched = published_rows(
        settings, "SELECT count(*), count(*) FILTER (page_status = 'fetched') FROM feed_entries"
    )[0]
    assert entries == sum(n for n in expected.values() if n > 0)
    assert 0 < fetched <= PAGES_PER_POLL * len(feeds)
    by_source = dict(published_rows(settings, "SELECT text_source, count(*) FROM articles GROUP BY ALL"))
    assert by_source["page"] == fetched  # every fetched page is an article of its own
    assert by_source["entry_content"] > 0 and by_source["entry_summary"] > 0
    rejected = dict(published_rows(settings, "SELECT stage, count(*) FROM rejects GROUP BY ALL"))
    assert set(rejected) <= {"extract", "clean"}, rejected  # entries with a title and nothing else
    # rss-1.rss and xml2js-options.rss are the same feed: its links were fetched once.
    assert published_rows(settings, "SELECT count(*) FROM feed_entries WHERE page_status = 'known_link'")[0][0] > 0
    before = published_rows(settings, "SELECT document_id FROM documents ORDER BY 1")

    second = _poll(settings)
    assert published_rows(settings, "SELECT document_id FROM documents ORDER BY 1") == before
    assert published_rows(settings, "SELECT count(*) FROM feed_entries")[0][0] == entries
    outcomes = dict(
        published_rows(
            settings,
            f"SELECT outcome, count(*) FROM fetches WHERE run_id = '{second.run_id}' GROUP BY ALL",
        )
    )
    # 15 feeds answer 304, 15 resend the same body (not parsed), the broken one fails again.
    assert outcomes == {"not_modified": 15, "unchanged": 15, "error": 1}, outcomes
