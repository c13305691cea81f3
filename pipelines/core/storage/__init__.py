"""Storage: the one interface the stages use to read and write the warehouse (session.py), with two backends.

  embedded (default)  a DuckDB working file, written by one process at a time, and the analysts' copy
                      $NEWS_WAREHOUSE_DIR/news.duckdb published from it (embedded.py)
  lake                DuckLake: its catalog in PostgreSQL, Parquet files on a folder or S3-compatible storage;
                      many writers commit at once, readers get snapshots (lake.py)

One setting chooses: NEWS_WAREHOUSE_URL unset means embedded; ducklake:postgres://USER@HOST:PORT/DB?data_path=…
means the lake (SCALING.md).
"""

from __future__ import annotations

from collections.abc import Callable

from pipelines.core.settings import Settings
from pipelines.core.storage.session import (
    NotPublished,
    PublishResult,
    Session,
    Storage,
    WarehouseBusy,
    WriteConflict,
)
from pipelines.core.storage.sql import SQL_DIR, WarehouseError, fts_extension_path, row_of, utcnow

__all__ = [
    "SQL_DIR",
    "NotPublished",
    "PublishResult",
    "Session",
    "Storage",
    "WarehouseBusy",
    "WarehouseError",
    "WriteConflict",
    "fts_extension_path",
    "open_storage",
    "row_of",
    "utcnow",
]


def open_storage(
    settings: Settings, *, on_wait: Callable[[str], None] | None = None, lock_timeout: float = 1800.0
) -> Storage:
    """The warehouse NEWS_WAREHOUSE_URL chooses. `on_wait` hears why a session waits (another process's lock on
    the embedded file; a commit redone on the lake)."""
    if not settings.warehouse_url:
        from pipelines.core.storage.embedded import EmbeddedWarehouse

        return EmbeddedWarehouse(settings.warehouse_dir, lock_timeout=lock_timeout, on_wait=on_wait)
    from pipelines.core.storage.lake import LakeSettings, LakeWarehouse

    return LakeWarehouse(LakeSettings.from_url(settings.warehouse_url), settings.warehouse_dir, on_notice=on_wait)
