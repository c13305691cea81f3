"""Brief stage: read the published warehouse, render the brief, write it next to news.duckdb.

It reads news.duckdb (read-only, never the working file), so it neither waits for nor blocks the
pipeline, and the page is not part of the warehouse or its write log. The page is written to a
temporary file and renamed over the old one: a browser never sees half a page. When the published data
and the renderer are the same as for the existing page, nothing is rewritten.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from pipelines.core.atomic_files import write_atomically
from pipelines.core.brief.page import BriefData, page_version, render_page
from pipelines.core.storage import Session, Storage, utcnow

BRIEF_NAME = "brief.html"
# Bounds on what the page shows (and so on its size).
RECENT_DAYS = 60
TOP = 15
STORY_WINDOW_DAYS = 7
MAX_PLACES = 300


@dataclass(frozen=True)
class BriefResult:
    path: Path
    written: bool
    size_bytes: int
    seconds: float
    data: BriefData


def read_brief_data(session: Session) -> BriefData:
    """Everything the page shows, aggregated in SQL (warehouse/statements/brief_*.sql). Charts and lists
    count the reports taken in over the last RECENT_DAYS days: what a brief is for, and a cost that stays the same
    however many years the warehouse holds (whole-warehouse counts took 1 s a run at 100k articles)."""
    return BriefData(
        totals=session.query("warehouse_totals")[0],
        events_per_day=session.query("brief_events_per_day", days=RECENT_DAYS),
        participants=session.query("brief_top_participants", top=TOP, days=RECENT_DAYS),
        entities=session.query("brief_top_entities", top=TOP + 5, days=RECENT_DAYS),
        stories=session.query("brief_stories", top=TOP // 2, days=STORY_WINDOW_DAYS),
        places=session.query("brief_event_places", top=MAX_PLACES, days=RECENT_DAYS),
        days=RECENT_DAYS,
    )


def _current_version(path: Path) -> str | None:
    try:
        with path.open("r", encoding="utf-8", errors="replace") as handle:
            return page_version(handle.read(4096))
    except FileNotFoundError:
        return None


def write_brief(warehouse: Storage) -> BriefResult:
    """Render warehouse/brief.html from the published warehouse, unless the page already shows it."""
    started = time.monotonic()
    con = warehouse.read_published()
    try:
        data = read_brief_data(Session(con))
    finally:
        con.close()
    path = warehouse.directory / BRIEF_NAME
    written = _current_version(path) != data.version()
    if written:
        write_atomically(path, render_page(data, utcnow(), warehouse.published_location, warehouse.directory / "work"))
    return BriefResult(path, written, path.stat().st_size, time.monotonic() - started, data)
