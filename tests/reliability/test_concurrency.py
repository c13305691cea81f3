"""Concurrency: overlapping runs in separate processes — sensor-style runs for files as they arrive, a
feed poll against a local site, and a full backfill — while an analyst process holds news.duckdb open
and queries it. No run fails on a lock, the reader never fails, nothing is lost: the result equals one
clean run over the same inputs."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from pipelines.core.settings import PROJECT_ROOT, Settings
from pipelines.core.sources.registry import feed_shard_keys
from pipelines.core.sources.seed_folder import all_shard_keys, shard_key, shard_of
from tests.feed_fixtures import Item, article_page, rss
from tests.integration.helpers import materialize_all, materialize_range, working_rows
from tests.local_site import LocalSite, Reply, local_fetch_settings
from tests.reliability.test_crash_consistency import snapshot


def _errors(stderr: str) -> str:
    """What a failed run logged as errors (a failed check names its wrong rows there), then its last lines:
    the tail alone is mostly the skipped downstream steps."""
    errors = [line for line in stderr.splitlines() if " - ERROR - " in line or "violation" in line]
    return "\n".join(errors)[-4000:] + "\n…\n" + stderr[-1500:]


def _spawn(env: dict[str, str], module: str, *args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", module, *args],
        cwd=PROJECT_ROOT,
        text=True,
        env=os.environ | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def _site(site: LocalSite) -> None:
    site.fallback = lambda path: (
        Reply(body=article_page(path), headers={"Content-Type": "text/html; charset=utf-8"})
        if path.startswith("/news/")
        else None
    )
    items = [Item(f"Feed story {i}", f"/news/story-{i}", f"s{i}") for i in range(4)]
    site.serve("/feed.xml", Reply(body=rss(items), headers={"Content-Type": "application/rss+xml"}))


def test_overlapping_runs_feed_poll_and_a_reader(settings: Settings, tmp_path: Path) -> None:
    with LocalSite() as site:
        _site(site)
        sources = tmp_path / "sources.yaml"
        sources.write_text(f"feeds:\n  - {site.url('/feed.xml')}\n", encoding="utf-8")
        settings = replace(settings, sources_file=sources, fetch=local_fetch_settings())
        env = {
            "NEWS_SEEDS_DIR": str(settings.seeds_dir),
            "NEWS_WAREHOUSE_DIR": str(settings.warehouse_dir),
            "NEWS_SOURCES_FILE": str(sources),
            "NEWS_FETCH_ALLOW_PRIVATE": "127.0.0.1/32",
            "NEWS_FETCH_HOST_DELAY": "0",
        }
        assert materialize_all(settings).success  # the analyst's file exists before the rush
        stop = tmp_path / "stop-reading"
        reader = _spawn(
            env, "tests.reliability.reader_child", str(settings.warehouse_dir / "news.duckdb"), "120", str(stop)
        )
        seeds, feeds = all_shard_keys(), feed_shard_keys()
        arrivals = {
            f"arrival_{i}.txt": f"Arrival number {i}\n\nA report that arrives while other runs are going "
            f"on, number {i} of several, with enough words to be an article."
            for i in range(3)
        }
        runs = []
        for i, (name, text) in enumerate(arrivals.items()):
            (settings.seeds_dir / name).write_text(text, encoding="utf-8")
            shard = shard_key(shard_of(name))
            runs.append(_spawn(env, "tests.reliability.run_child", shard, shard))  # what the sensor launches
            if i == 0:
                runs.append(_spawn(env, "tests.reliability.run_child", feeds[0], feeds[-1]))  # the schedule's poll
            if i == 1:
                runs.append(_spawn(env, "tests.reliability.run_child", seeds[0], seeds[-1]))  # a full backfill
            time.sleep(0.3)
        for run in runs:
            _, err = run.communicate(timeout=600)
            assert run.returncode == 0, _errors(err)
        stop.touch()  # every run has finished; the reader read throughout
        out, err = reader.communicate(timeout=120)
        report = json.loads(out.strip().splitlines()[-1])
        assert report["error"] is None and report["queries"] > 20, (report, err[-2000:])
        # The overlapping runs wrote this warehouse: they inherit this process's environment, and a warehouse
        # chosen there (NEWS_WAREHOUSE_URL) would have taken their writes, leaving the run below to do it all.
        written = working_rows(settings, "SELECT count(*) FROM articles_base")[0][0]
        assert written == 5 + len(arrivals) + 4, (
            f"the overlapping runs left {written} articles in {settings.warehouse_dir}"
        )

        # Whatever the interleaving, the result is one clean run's.
        assert materialize_range(settings, seeds + feeds).success
        clean = replace(settings, warehouse_dir=tmp_path / "clean")
        assert materialize_range(clean, seeds + feeds).success
    got, expected = snapshot(settings.warehouse_dir), snapshot(clean.warehouse_dir)
    for table in ("documents", "articles_base", "document_articles", "rejects", "feed_entries"):
        assert got[table] == expected[table], table
    assert len(got["articles_base"]) == 5 + len(arrivals) + 4
