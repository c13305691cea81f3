"""The one resource every asset uses: where the seeds and the warehouse are, and the size limits."""

from __future__ import annotations

from pathlib import Path

import dagster as dg

from pipelines.core.settings import DEFAULT_DEDUPE_THRESHOLD, Settings
from pipelines.core.warehouse import Warehouse


class NewsSettings(dg.ConfigurableResource):
    """Paths, limits and the near-duplicate threshold, defaulting to the NEWS_* environment variables
    (see README, Configuration)."""

    seeds_dir: str
    warehouse_dir: str
    max_document_bytes: int
    max_jsonl_bytes: int
    dedupe_threshold: float = DEFAULT_DEDUPE_THRESHOLD

    @classmethod
    def from_env(cls) -> NewsSettings:
        s = Settings.from_env()
        return cls(
            seeds_dir=str(s.seeds_dir),
            warehouse_dir=str(s.warehouse_dir),
            max_document_bytes=s.max_document_bytes,
            max_jsonl_bytes=s.max_jsonl_bytes,
            dedupe_threshold=s.dedupe_threshold,
        )

    def settings(self) -> Settings:
        return Settings(
            Path(self.seeds_dir),
            Path(self.warehouse_dir),
            self.max_document_bytes,
            self.max_jsonl_bytes,
            self.dedupe_threshold,
        )

    def warehouse(self) -> Warehouse:
        return Warehouse(Path(self.warehouse_dir))
