"""Commands that only look at the cluster profile (`status`, `down` of what is not running) write nothing
(pipelines/cluster/profile.py); the services themselves are tested in tests/cluster."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipelines.cluster import profile
from pipelines.cluster.profile import Cluster


def _files(root: Path) -> dict[Path, tuple[int, bytes]]:
    return {p: (p.stat().st_mtime_ns, p.read_bytes()) for p in sorted(root.rglob("*")) if p.is_file()}


@pytest.fixture(autouse=True)
def _postgres_anywhere(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """The command lines name PostgreSQL's programs; nothing here runs them, so no installation is needed."""
    monkeypatch.setattr(profile, "postgres_bin_dir", lambda: tmp_path / "pg-bin")


def test_status_and_down_of_a_profile_never_started_create_nothing(tmp_path: Path) -> None:
    cluster = Cluster(tmp_path / "profile", workers=())
    assert cluster.status() == dict.fromkeys(cluster.order())
    assert cluster.down() == []
    assert not (tmp_path / "profile").exists()


def test_status_and_down_leave_the_configuration_files_alone(tmp_path: Path) -> None:
    cluster = Cluster(tmp_path / "profile")
    cluster.config()
    before = _files(cluster.state_dir)
    assert cluster.status() == dict.fromkeys(cluster.order())
    assert cluster.down() == []
    assert _files(cluster.state_dir) == before
