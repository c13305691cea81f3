"""The profile's own bookkeeping: it never starts a service in place of another program, and `down` stops what
`up` started and nothing else (a pid file whose process is gone, its pid since reused, is left alone)."""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path

import pytest

from tests.cluster.conftest import require

require("redis-server")

from pipelines.cluster.profile import HOST, Cluster, ClusterError  # noqa: E402


def test_a_service_whose_port_is_taken_is_not_started(tmp_path: Path) -> None:
    cluster = Cluster(tmp_path / "profile", workers=())
    with socket.socket() as squatter:
        squatter.bind((HOST, cluster.config().ports["redis"]))
        squatter.listen()
        with pytest.raises(ClusterError, match="in use by another program"):
            cluster.up(["redis"])
    assert cluster.status()["redis"] is None


def test_down_stops_what_up_started_and_spares_a_reused_pid(tmp_path: Path) -> None:
    cluster = Cluster(tmp_path / "profile", workers=())
    redis_pid = cluster.up(["redis"])["redis"]
    bystander = subprocess.Popen(["sleep", "60"], start_new_session=True)
    try:
        # A stale pid file naming a live process that the profile did not start (its start time differs).
        stale = cluster.service("dagster-daemon").pid_file
        stale.write_text(f"{bystander.pid} 1\n")
        assert cluster.down() == ["redis"]
        assert bystander.poll() is None  # untouched
        assert cluster.status() == dict.fromkeys(cluster.order())
        with pytest.raises(ProcessLookupError):
            os.kill(redis_pid, 0)
    finally:
        bystander.kill()
        bystander.wait()
