"""The cluster tests: one profile in a private state folder, on free ports; each module starts the services it
needs, and all stop at the end of the session. Without PostgreSQL, redis-server or the cluster extra's
programs they skip, saying what is missing (`.ci/run` installs redis-server; PostgreSQL comes with the
machine image).

All of them run on one xdist worker (see pytest_xdist_make_scheduler in tests/conftest.py) and share one
profile, so its services start once."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from pipelines.cluster.profile import Cluster, missing_binaries


def require(*needed: str) -> None:
    """Skip the calling module unless the cluster extra is installed and every program whose description mentions
    one of `needed` is present."""
    missing = [m for m in missing_binaries() if "cluster extra" in m or any(n in m for n in needed)]
    if missing:
        pytest.skip("cluster profile programs missing: " + "; ".join(missing), allow_module_level=True)


@pytest.fixture(scope="session")
def cluster_profile() -> Iterator[Cluster]:
    """A fresh profile in a temporary folder, shared by the session; each module starts the services it needs
    (`cluster.up([...])`, a no-op for those running), all stopped at the end of the session."""
    state = Path(tempfile.mkdtemp(prefix="news-cluster-"))
    state.chmod(0o755)  # as root, PostgreSQL runs as its own user and must enter the folder
    profile = Cluster(state / "cluster")
    try:
        yield profile
    finally:
        profile.down(discard=True)
        shutil.rmtree(state, ignore_errors=True)


@pytest.fixture(scope="module")
def cluster(cluster_profile: Cluster) -> Iterator[Cluster]:
    """The session's profile, its environment set in this process for one module only. Set for the whole session,
    it stayed in the environment of every later test on this xdist worker: a test that runs the pipeline in child
    processes (they inherit the environment) then wrote the profile's lake instead of its own warehouse."""
    with pytest.MonkeyPatch.context() as env:
        for name, value in cluster_profile.env().items():
            env.setenv(name, value)
        yield cluster_profile
