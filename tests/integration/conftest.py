"""The analysts' warehouse, built once per test session and shared read-only by every test and xdist
worker that needs a `make run` of the seeds: building it costs one pipeline run.

It holds the seeds, a syndicated copy of seed 001 and an unreadable file, so that the copy and reject
questions have answers. Tests that change files or the warehouse copy them first.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from pipelines.core.settings import Settings
from tests.conftest import SEEDS, built_once
from tests.integration.helpers import materialize_all, syndicated_copy_of_001


@pytest.fixture(scope="session")
def analyst_settings(tmp_path_factory: pytest.TempPathFactory, worker_id: str) -> Settings:
    def build(base: Path) -> None:
        settings = _settings(base)
        shutil.copytree(SEEDS, settings.seeds_dir)
        (settings.seeds_dir / "republished_001.txt").write_text(syndicated_copy_of_001(), encoding="utf-8")
        (settings.seeds_dir / "scan.txt").write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4)
        assert materialize_all(settings).success

    return _settings(built_once(tmp_path_factory, worker_id, "analyst-warehouse", build))


def _settings(base: Path) -> Settings:
    return Settings(seeds_dir=base / "seeds", warehouse_dir=base / "warehouse")
