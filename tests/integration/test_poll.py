"""Polling now: `python -m pipelines poll --now [SOURCE]` (what `make poll` runs) and the `poll_now` of the
feed stage, against a site the test serves on 127.0.0.1. The summary names each failing source with its
reason, and the exit code says whether a polled source failed."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from pipelines.core.settings import PROJECT_ROOT, Settings
from pipelines.core.sources.registry import feed_shard_keys
from pipelines.core.stages.poll_sources import poll_source_shards
from pipelines.core.storage.embedded import EmbeddedWarehouse
from tests.feed_fixtures import Item, article_page, rss
from tests.local_site import LocalSite, Reply, local_fetch_settings

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}


def _site(site: LocalSite) -> None:
    site.fallback = lambda path: (
        Reply(body=article_page(path), headers={"Content-Type": "text/html; charset=utf-8"})
        if path.startswith("/news/")
        else None
    )
    site.serve("/good.xml", Reply(body=rss([Item("One", "/news/one", "g1")]), headers=RSS_TYPE, etag='"v1"'))
    site.serve("/gone.xml", Reply(404, b"no such feed"))


def _sources(site: LocalSite) -> str:
    # An interval of ten hours: nothing is due again within the test unless polled now.
    return (
        f"feeds:\n  - url: {site.url('/good.xml')}\n    name: Good feed\n    poll_minutes: 600\n"
        f"  - url: {site.url('/gone.xml')}\n    name: Gone feed\n    poll_minutes: 600\n"
    )


def _poll(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    home = tmp_path / "dagster"
    if not home.exists():
        home.mkdir()
        shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")  # as make does
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "DAGSTER_"))} | {
        "DAGSTER_HOME": str(home),
        "DAGSTER_DISABLE_TELEMETRY": "1",
        "NEWS_SEEDS_DIR": str(tmp_path / "seeds"),
        "NEWS_WAREHOUSE_DIR": str(tmp_path / "warehouse"),
        "NEWS_SOURCES_FILE": str(tmp_path / "sources.yaml"),
        "NEWS_FETCH_ALLOW_PRIVATE": "127.0.0.1/32",
        "NEWS_FETCH_HOST_DELAY": "0",
        "NEWS_FETCH_RETRIES": "0",
        "NEWS_FETCH_TIMEOUT": "2",
    }
    command = [sys.executable, "-m", "pipelines", "poll", *args]
    return subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300)


def test_poll_now_ignores_the_schedule_and_names_each_failing_source(local_site: LocalSite, tmp_path: Path) -> None:
    _site(local_site)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "sources.yaml").write_text(_sources(local_site))

    first = _poll(tmp_path)  # both sources are new, so due
    assert first.returncode == 3, first.stderr[-3000:]
    assert "Sources: 2 polled (0 unchanged, 1 failed)" in first.stdout
    gone = f"failing  Gone feed ({local_site.url('/gone.xml')}): HTTP 404 Not Found (failed in this run, 1 failure"
    assert gone in first.stdout, first.stdout
    assert "Good feed" not in first.stdout.split("Sources:")[1]  # only failing sources are listed

    again = _poll(tmp_path, "--now", "Good feed")  # not due for ten hours: polled all the same, alone
    assert again.returncode == 0, again.stderr[-3000:]
    assert "Sources: 1 polled (1 unchanged, 0 failed)" in again.stdout, again.stdout
    assert "Gone feed" in again.stdout and "not polled in this run" in again.stdout
    assert local_site.hits("/good.xml") == 2 and local_site.hits("/gone.xml") == 1
    assert local_site.requests[-1][1].get("if-none-match") == '"v1"'  # still a conditional GET

    unknown = _poll(tmp_path, "--now", "No such feed")
    assert unknown.returncode == 2 and "No source named 'No such feed'" in unknown.stderr


def test_poll_now_all_polls_every_enabled_source(local_site: LocalSite, tmp_path: Path) -> None:
    _site(local_site)
    (tmp_path / "seeds").mkdir()
    (tmp_path / "sources.yaml").write_text(_sources(local_site))
    settings = Settings(
        seeds_dir=tmp_path / "seeds",
        warehouse_dir=tmp_path / "warehouse",
        sources_file=tmp_path / "sources.yaml",
        fetch=local_fetch_settings(retries=0),
    )
    with EmbeddedWarehouse(settings.warehouse_dir).session() as session:
        assert poll_source_shards(session, settings, feed_shard_keys(), "r1").rows_in == 2
        assert poll_source_shards(session, settings, feed_shard_keys(), "r2").rows_in == 0  # nothing due
        named = poll_source_shards(session, settings, feed_shard_keys(), "r3", poll_now="Gone feed")
        assert named.rows_in == 1 and local_site.hits("/gone.xml") == 2
        assert poll_source_shards(session, settings, feed_shard_keys(), "r4", poll_now="all").rows_in == 2
    assert local_site.hits("/good.xml") == 2 and local_site.hits("/gone.xml") == 3
