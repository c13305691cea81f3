"""The one resource every asset uses: where the seeds and the warehouse are, and the size limits."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines.core.settings import Settings
from pipelines.core.warehouse import Warehouse


class NewsSettings(dg.ConfigurableResource):
    """Paths and limits, defaulting to the NEWS_* environment variables (see README, Configuration)."""

    seeds_dir: str
    warehouse_dir: str
    max_document_bytes: int
    max_jsonl_bytes: int

    @classmethod
    def from_env(cls) -> NewsSettings:
        s = Settings.from_env()
        return cls(
            seeds_dir=str(s.seeds_dir),
            warehouse_dir=str(s.warehouse_dir),
            max_document_bytes=s.max_document_bytes,
            max_jsonl_bytes=s.max_jsonl_bytes,
        )

    def settings(self) -> Settings:
        return Settings(Path(self.seeds_dir), Path(self.warehouse_dir), self.max_document_bytes, self.max_jsonl_bytes)

    def warehouse(self) -> Warehouse:
        return Warehouse(Path(self.warehouse_dir))
