"""Shared fixtures: a private copy of the seeds and a warehouse in a temporary directory per test."""

from __future__ import annotations

import fcntl
import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from pipelines.core.settings import PROJECT_ROOT, Settings
from pipelines.core.storage.embedded import EmbeddedWarehouse

SEEDS = PROJECT_ROOT / "seeds"
SHARED = PROJECT_ROOT.parent / "shared"


@pytest.fixture
def seeds_dir(tmp_path: Path) -> Path:
    target = tmp_path / "seeds"
    shutil.copytree(SEEDS, target)
    return target


@pytest.fixture
def settings(tmp_path: Path, seeds_dir: Path) -> Settings:
    return Settings(seeds_dir=seeds_dir, warehouse_dir=tmp_path / "warehouse")


@pytest.fixture
def warehouse(settings: Settings) -> EmbeddedWarehouse:
    return EmbeddedWarehouse(settings.warehouse_dir, lock_timeout=30)


def built_once(
    tmp_path_factory: pytest.TempPathFactory, worker_id: str, name: str, build: Callable[[Path], None]
) -> Path:
    """A folder `name` that `build` fills once per test session, shared by every xdist worker: the first worker
    to ask builds it while the others wait on a lock, then all read it. For costly starting states (a run of
    the pipeline) that several tests only read; a test that changes one copies it first."""
    root = tmp_path_factory.getbasetemp()
    root = root if worker_id == "master" else root.parent  # the session's folder, above the workers' own
    folder = root / name
    with (root / f"{name}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (root / f"{name}.built").exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            (root / f"{name}.built").touch()
    return folder


def seed_text(name_prefix: str) -> str:
    """Text of the seed file whose name starts with `name_prefix` ("000", "001", …)."""
    return next(SEEDS.glob(f"{name_prefix}_*.txt")).read_text("utf-8")


@pytest.fixture
def local_site():
    """A web server on 127.0.0.1 that serves what the test tells it to (tests/local_site.py)."""
    from tests.local_site import LocalSite

    with LocalSite() as site:
        yield site


# Tests under tests/cluster start servers (PostgreSQL, SeaweedFS, Redis, Celery workers) once per xdist worker
# that runs any of them; they must all run on one worker, or each worker would start its own set. xdist's
# --dist loadgroup cannot group them here: it renames test ids, which pytest 9 no longer lets a plugin do.
# So `make test` (-n 3, dist "load") uses a scheduler that keeps tests/cluster as one unit and
# hands out every other test on its own, as "load" does.
CLUSTER_TESTS = "tests/cluster/"


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object | None:
    if config.getvalue("dist") != "load":
        return None
    from xdist.scheduler import LoadScopeScheduling

    class ClusterTogether(LoadScopeScheduling):
        def _split_scope(self, nodeid: str) -> str:
            return CLUSTER_TESTS if nodeid.startswith(CLUSTER_TESTS) else nodeid

    return ClusterTogether(config, log)


def too_deep_folder(root: Path) -> None:
    """A folder whose path is longer than PATH_MAX, made with relative opens (its full path cannot be)."""
    fd = os.open(root, os.O_RDONLY)
    try:
        for _ in range(25):  # 25 x 201 bytes > 4,096
            os.mkdir("d" * 200, dir_fd=fd)
            deeper = os.open("d" * 200, os.O_RDONLY, dir_fd=fd)
            os.close(fd)
            fd = deeper
        inner = os.open("lost.txt", os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=fd)
        os.write(inner, b"Deep\n\nA body nobody can reach by its path.")
        os.close(inner)
    finally:
        os.close(fd)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Start the slow tests first, then the reliability tests. They run the real CLI many times (the kill chain
    alone runs it a dozen times, one after another); collected last, as by path they are, one worker runs them
    alone at the end while the others idle, which doubles the suite's wall time on two cores. Sorting is
    stable, so the order inside each group is kept."""
    items.sort(key=lambda item: (item.get_closest_marker("slow") is None, "reliability" not in item.path.parts))
