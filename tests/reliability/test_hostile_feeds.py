"""Hostile and broken feeds: every feed file of feedparser's own test suite (from the sdist of the pinned
version, downloaded with pip into pytest's cache, skipped without a package registry) and the real feeds
captured in ../shared/eval/feeds. Each file ends as a feed error with a reason or as entries, and each
entry as an article or a reject with a reason; a sample also goes through the real Dagster graph."""

from __future__ import annotations

import importlib.metadata
import subprocess
import sys
import tarfile
from collections import Counter
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from pipelines.core.articles import CleanArticle, DocumentIn, Rejection, build_article
from pipelines.core.feed_entry import FEED_ENTRY
from pipelines.core.settings import Settings
from pipelines.core.sources.feeds import FeedError, parse_feed
from pipelines.core.sources.registry import feed_shard_keys
from tests.conftest import SHARED
from tests.integration.helpers import materialize_range, published_rows, working_rows
from tests.local_site import LocalSite, Reply, local_fetch_settings

NOW = datetime(2026, 11, 21)
FEEDPARSER = importlib.metadata.version("feedparser")
REAL_FEEDS = SHARED / "eval" / "feeds" / "rss_parser" / "test" / "input"


@pytest.fixture(scope="session")
def feedparser_tests(request: pytest.FixtureRequest) -> Path:
    """tests/ of the feedparser sdist matching the pinned version, cached between runs."""
    cache = Path(request.config.cache.mkdir(f"feedparser-{FEEDPARSER}-sdist"))
    tests = cache / f"feedparser-{FEEDPARSER}" / "tests"
    if not tests.is_dir():
        done = subprocess.run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-binary",
                ":all:",
                "--no-deps",
                "--quiet",
                f"feedparser=={FEEDPARSER}",
                "-d",
                str(cache),
            ],
            capture_output=True,
            text=True,
            timeout=180,
        )
        archives = list(cache.glob(f"feedparser-{FEEDPARSER}.tar.gz"))
        if done.returncode != 0 or not archives:
            pytest.skip(
                f"cannot download the feedparser {FEEDPARSER} sdist (no package registry?): {done.stderr[-300:]}"
            )
        with tarfile.open(archives[0]) as archive:
            members = [m for m in archive.getmembers() if "/tests/" in m.name and m.isfile()]
            archive.extractall(cache, members=members, filter="data")
    return tests


def _feed_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file() and p.suffix not in {".py", ".pyc"})


def _outcomes(files: list[Path]) -> Counter[str]:
    """Every file through parse_feed, every entry through build_article; counts outcomes, never raises."""
    seen: Counter[str] = Counter()
    for path in files:
        body = path.read_bytes()
        try:
            feed = parse_feed(body, "http://127.0.0.1/feed.xml")
        except FeedError as exc:
            assert str(exc).strip(), path
            seen["feed_error"] += 1
            continue
        seen["feed_parsed"] += 1
        for i, entry in enumerate(feed.entries):
            raw = entry.to_json().encode()
            doc = DocumentIn(
                f"{path.name}:{i}",
                "feeds-00",
                entry.link or "http://127.0.0.1/feed.xml",
                None,
                FEED_ENTRY,
                raw,
                NOW,
                source_kind="feed",
                entry=entry.to_json(),
            )
            outcome = build_article(doc, NOW)
            if isinstance(outcome, Rejection):
                assert outcome.stage and outcome.reason, (path, outcome)
                seen[f"entry_rejected:{outcome.stage}"] += 1
            else:
                assert isinstance(outcome, CleanArticle) and outcome.row["text"].strip(), path
                seen["entry_article"] += 1
    return seen


def test_every_feedparser_test_feed(feedparser_tests: Path) -> None:
    files = _feed_files(feedparser_tests)
    assert len(files) > 2000
    seen = _outcomes(files)
    assert seen["feed_parsed"] + seen["feed_error"] == len(files)
    # The suite's feeds are mostly one-field fixtures: most entries have no article text and become rejects
    # with a reason; what must hold is that nothing raised and every file and entry has an outcome.
    entries = sum(n for kind, n in seen.items() if kind.startswith("entry_"))
    assert seen["feed_parsed"] > len(files) * 0.9 and entries > 1000 and seen["entry_article"] > 0, seen


@pytest.mark.skipif(not REAL_FEEDS.is_dir(), reason="../shared/eval/feeds is not available")
def test_real_captured_feeds() -> None:
    files = _feed_files(REAL_FEEDS)
    seen = _outcomes(files)
    assert seen["feed_parsed"] + seen["feed_error"] == len(files) == 31
    assert seen["entry_article"] > 100, seen


def test_a_sample_through_a_scheduled_poll(feedparser_tests: Path, settings: Settings, tmp_path: Path) -> None:
    sample = _feed_files(feedparser_tests)[::45]  # ~50 files from every folder of the suite
    with LocalSite() as site:
        for i, path in enumerate(sample):
            site.serve(f"/f{i}.xml", Reply(body=path.read_bytes(), headers={"Content-Type": "application/xml"}))
        sources = tmp_path / "sources.yaml"
        sources.write_text("feeds:\n" + "".join(f"  - {site.url(f'/f{i}.xml')}\n" for i in range(len(sample))))
        settings = replace(
            settings, sources_file=sources, fetch=local_fetch_settings(retries=0, robots=False, max_pages_per_poll=0)
        )
        result = materialize_range(settings, feed_shard_keys())
    assert result.success and all(c.passed for c in result.get_asset_check_evaluations())
    polled = published_rows(settings, "SELECT count(*) FROM sources WHERE last_polled_at IS NOT NULL")[0][0]
    assert polled == len(sample)
    unaccounted = working_rows(
        settings,
        "SELECT count(*) FROM documents d WHERE NOT EXISTS (SELECT 1 FROM "
        "document_articles x WHERE x.document_id = d.document_id) AND NOT EXISTS "
        "(SELECT 1 FROM rejects r WHERE r.document_id = d.document_id)",
    )
    assert unaccounted == [(0,)]
