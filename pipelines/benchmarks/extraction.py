"""Extraction speed: pages per second per core through the shipped extraction (page bytes → article
text and metadata), on the pages of the extraction benchmark (NEWS_EVAL_DIR/extraction/scrapinghub).

CPU time of this process is measured (time.process_time), so the figure is per core whatever else the
machine does; wall time is reported beside it. BENCH_QUICK=1 uses the first 30 pages.
"""

from __future__ import annotations

import time
from pathlib import Path

from pipelines.evaluation import Result
from pipelines.evaluation.extraction import benchmark_pages, shipped_text

QUICK_PAGES = 30


def run(data_dir: Path, quick: bool) -> Result:
    pages = benchmark_pages(data_dir)
    if not pages:
        return Result("extraction_speed", "", skipped=f"no benchmark pages under {data_dir / 'extraction'}")
    pages = pages[:QUICK_PAGES] if quick else pages
    shipped_text(pages[0].html)  # warm-up: lazy imports and caches are not per-page costs
    cpu, wall = time.process_time(), time.perf_counter()
    for page in pages:
        shipped_text(page.html)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    megabytes = sum(len(p.html) for p in pages) / 1e6
    metrics = {
        "pages": len(pages),
        "pages_per_cpu_second": round(len(pages) / cpu, 1),
        "ms_per_page": round(1000 * cpu / len(pages), 1),
        "html_mb_per_cpu_second": round(megabytes / cpu, 2),
        "wall_seconds": round(wall, 2),
    }
    table = (
        "| pages | pages/s per core | ms/page (CPU) | HTML MB/s per core | wall s |\n|---|---|---|---|---|\n"
        f"| {metrics['pages']} | {metrics['pages_per_cpu_second']} | {metrics['ms_per_page']} "
        f"| {metrics['html_mb_per_cpu_second']} | {metrics['wall_seconds']} |"
    )
    return Result("extraction_speed", table, metrics)
