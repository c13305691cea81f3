"""Run the real CLI, `python -m pipelines run` (what `make run` runs), as users do: its own process group,
a persistent DAGSTER_HOME holding the project's dagster.yaml, configuration from the environment, and
the fault points of faults.py armed through cli_faults/sitecustomize.py when a test asks for a kill."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.core.settings import PROJECT_ROOT

CLI_FAULTS = Path(__file__).parent / "cli_faults"
RUN_TIMEOUT = 300  # a run that has not ended by then is wedged


def dagster_home(tmp_path: Path) -> Path:
    home = tmp_path / "dagster_home"
    home.mkdir()
    shutil.copy(PROJECT_ROOT / "dagster.yaml", home / "dagster.yaml")  # as `make run` does
    return home


def cli_env(home: Path, seeds: Path, warehouse: Path, kill: str = "", **news: str) -> dict[str, str]:
    """The environment of a run: this test's folders, the fault to inject, other NEWS_* settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEWS_", "DAGSTER_"))}
    return (
        env
        | news
        | {
            "DAGSTER_HOME": str(home),
            "DAGSTER_DISABLE_TELEMETRY": "1",
            "NEWS_SEEDS_DIR": str(seeds),
            "NEWS_WAREHOUSE_DIR": str(warehouse),
            "PYTHONPATH": os.pathsep.join([str(CLI_FAULTS), str(PROJECT_ROOT)]),
            "NEWS_FAULT_KILL": kill,
        }
    )


def start(env: dict[str, str], *command: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        list(command),
        cwd=PROJECT_ROOT,
        env=env,
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,  # its own process group, as a terminal gives `make run`
    )


def run_cli(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`python -m pipelines run` to its end; a run still going after RUN_TIMEOUT is wedged: fail."""
    process = start(env, sys.executable, "-m", "pipelines", "run")
    try:
        out, err = process.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        out, err = process.communicate()
        pytest.fail(f"`python -m pipelines run` wedged: still running after {RUN_TIMEOUT} s\n{err[-3000:]}")
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)
