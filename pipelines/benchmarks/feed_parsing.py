"""Feed parsing speed: entries per second per core through pipelines.core.sources.feeds.parse_feed
(entity check + feedparser + entry records) on the captured feeds in NEWS_EVAL_DIR/feeds."""

from __future__ import annotations

import time
from pathlib import Path

from pipelines.core.sources.feeds import FeedError, parse_feed
from pipelines.evaluation import Result


def run(data_dir: Path, quick: bool) -> Result:
    folder = data_dir / "feeds" / "rss_parser" / "test" / "input"
    if not folder.is_dir():
        return Result("feed_parsing_speed", "", skipped=f"no captured feeds under {folder}")
    feeds = [(f"http://feeds.example/{p.name}", p.read_bytes()) for p in sorted(folder.iterdir()) if p.is_file()]
    passes = 1 if quick else 5
    entries = 0
    cpu = time.process_time()
    for _ in range(passes):
        for url, body in feeds:
            try:
                entries += len(parse_feed(body, url, "application/xml").entries)
            except FeedError:
                continue
    cpu = time.process_time() - cpu
    megabytes = passes * sum(len(body) for _, body in feeds) / 1e6
    metrics = {
        "feeds": len(feeds),
        "passes": passes,
        "entries": entries,
        "entries_per_cpu_second": round(entries / cpu),
        "feed_mb_per_cpu_second": round(megabytes / cpu, 2),
    }
    table = (
        "| feeds × passes | entries | entries/s per core | feed MB/s per core |\n|---|---|---|---|\n"
        f"| {len(feeds)} × {passes} | {entries} | {metrics['entries_per_cpu_second']} "
        f"| {metrics['feed_mb_per_cpu_second']} |"
    )
    return Result("feed_parsing_speed", table, metrics)
