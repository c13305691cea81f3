"""Background services started by the cluster profile, each in its own process group, found again by a pid file.

`make cluster-down` must stop what `make cluster-up` started and nothing else: no pkill by name (another
worktree, or the machine's own PostgreSQL, may run the same programs). So each service is started as the
leader of a new session, and its pid file records the pid together with the process's start time (field 22
of /proc/<pid>/stat): a pid the kernel has since given to an unrelated process is recognised and left alone.
Stopping signals the whole process group, so a Celery worker's pool children go with it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.core.processes import start_ticks


class ServiceError(RuntimeError):
    """A service did not start (the message carries the end of its log) or could not be stopped."""


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class Service:
    """A long-running program: its command, environment, log, and how to tell it is ready to serve."""

    name: str
    argv: Sequence[str]
    state_dir: Path
    env: Mapping[str, str] = field(default_factory=dict)
    ready: Callable[[], bool] = lambda: True
    cwd: Path | None = None
    user: str | None = None  # run as this user (PostgreSQL refuses to run as root)
    stop_signal: int = signal.SIGTERM

    @property
    def pid_file(self) -> Path:
        return self.state_dir / "pids" / f"{self.name}.pid"

    @property
    def log_file(self) -> Path:
        return self.state_dir / "logs" / f"{self.name}.log"

    def pid(self) -> int | None:
        """The running service's pid, or None (no pid file, the process ended, or the pid was reused)."""
        try:
            pid_text, started = self.pid_file.read_text().split()
        except (OSError, ValueError):
            return None
        pid = int(pid_text)
        return pid if start_ticks(pid) == started else None

    def start(self, timeout: float = 60.0) -> int:
        """Start the service (unless it already runs) and wait until it is ready."""
        running = self.pid()
        if running is not None:
            return running
        self.pid_file.parent.mkdir(parents=True, exist_ok=True)
        self.log_file.parent.mkdir(parents=True, exist_ok=True)
        with self.log_file.open("ab") as log:
            process = subprocess.Popen(
                list(self.argv),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                env={**os.environ, **self.env},
                cwd=self.cwd,
                start_new_session=True,
                user=self.user,
                group=self.user,
            )
        self.pid_file.write_text(f"{process.pid} {start_ticks(process.pid)}\n")
        deadline = time.monotonic() + timeout
        while not self.ready():
            if process.poll() is not None or time.monotonic() > deadline:
                what = f"exited with {process.returncode}" if process.returncode is not None else "is not ready"
                self.stop()
                raise ServiceError(f"{self.name} {what} after {timeout:.0f}s; its log ends:\n{self.log_tail()}")
            time.sleep(0.1)
        return process.pid

    def stop(self, timeout: float = 20.0, *, kill: bool = False) -> bool:
        """Signal the service's process group (SIGKILL at once with `kill`), then kill it if it outlives
        `timeout`. False if it was not running."""
        pid = self.pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)
            return False
        os.killpg(pid, signal.SIGKILL if kill else self.stop_signal)
        deadline = time.monotonic() + timeout
        while _group_alive(pid) and time.monotonic() < deadline:
            self._reap(pid)
            time.sleep(0.1)
        if _group_alive(pid):
            os.killpg(pid, signal.SIGKILL)
            while _group_alive(pid) and time.monotonic() < deadline + 5:
                self._reap(pid)
                time.sleep(0.1)
        self.pid_file.unlink(missing_ok=True)
        return True

    @staticmethod
    def _reap(pid: int) -> None:
        """Collect the exit status when this process started the service (else it lingers as a zombie)."""
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)

    def log_tail(self, lines: int = 25) -> str:
        try:
            return "\n".join(self.log_file.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no log)"
