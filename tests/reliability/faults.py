"""Fault injection for the reliability tests: kill the process at the k-th warehouse write.

Write points are every call that changes a warehouse file (insert, insert_new, upsert, named statements,
with or without rows to join, a replayed log entry on a standby), the moment before each COMMIT (a kill inside an
open transaction), the two sides of the write log's commit (staged but not committed; committed but not
yet marked), and the full copy of a standby (killed half-way through writing it). Production code has
no hooks: the methods are wrapped here, in the child process only.

Two ways to arm it: `install(k, calls)` in a forked child (kill at the k-th point), or, in a real CLI
process tree, the environment read by `install_from_env` (through cli_faults/sitecustomize.py): kill the
whole process group, as `kill -9 -- -PGID` does, at the first point whose label starts with a prefix.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipelines.core import atomic_files
from pipelines.core.storage import embedded, oplog
from pipelines.core.storage.embedded import EmbeddedSession
from pipelines.core.storage.session import Session

WRITE_METHODS = ("insert", "insert_new", "upsert", "write", "write_with", "apply")


def install(kill_at: int, calls: list[str]) -> None:
    """Record each write point in `calls` ("method:target"); SIGKILL ourselves at point `kill_at` (1-based)."""

    def kill(label: str) -> bool:
        calls.append(label)
        return len(calls) == kill_at

    _wrap(kill, lambda: os.kill(os.getpid(), signal.SIGKILL))


def install_from_env() -> None:
    """NEWS_FAULT_KILL=PREFIX: SIGKILL this process's group at the first write point whose label starts
    with PREFIX (e.g. "upsert:articles_base", "standby_copy:", "brief:"); NEWS_FAULT_LOG=FILE: append
    every label to FILE as it happens (a killed process writes nothing at exit)."""
    prefix, log = os.environ.get("NEWS_FAULT_KILL", ""), os.environ.get("NEWS_FAULT_LOG", "")
    owner = os.getpid()  # worker processes import this too; only the CLI process writes the warehouse

    def kill(label: str) -> bool:
        if os.getpid() != owner:
            return False
        if log:
            with Path(log).open("a", encoding="utf-8") as handle:
                handle.write(label + "\n")
        return bool(prefix) and label.startswith(prefix)

    _wrap(kill, lambda: os.killpg(os.getpgid(0), signal.SIGKILL))


def _wrap(should_kill: Callable[[str], bool], die: Callable[[], None]) -> None:
    """Wrap every write point: `should_kill(label)` is asked at each, and `die()` ends the process there."""

    def point(label: str, before_kill: Callable[[], None] | None = None) -> None:
        if should_kill(label):
            if before_kill:
                before_kill()
            die()

    def wrap(name: str) -> None:
        owner = EmbeddedSession if name == "apply" else Session
        original = getattr(owner, name)

        def wrapped(self: Session, target: Any, *args: Any, **kwargs: Any) -> Any:
            label = target.sql.split()[0] if name == "apply" else target
            point(f"{name}:{label}")
            return original(self, target, *args, **kwargs)

        setattr(owner, name, wrapped)

    for name in WRITE_METHODS:
        wrap(name)

    original_transaction = Session.transaction

    @contextlib.contextmanager
    def transaction(self: Session) -> Iterator[Session]:
        with original_transaction(self) as session:
            yield session
            point("commit:")

    Session.transaction = transaction  # type: ignore[method-assign]
    original_stage, original_commit = oplog.OpLog.stage, oplog.OpLog.commit

    def stage(self: oplog.OpLog, seq: int, ops: list[oplog.Op]) -> None:
        original_stage(self, seq, ops)
        point("log_staged:")  # the entry is on disk, the transaction not committed

    def commit(self: oplog.OpLog, seq: int) -> None:
        point("log_commit:")  # the transaction committed, the entry still pending
        original_commit(self, seq)

    oplog.OpLog.stage, oplog.OpLog.commit = stage, commit  # type: ignore[method-assign]
    original_copy = shutil.copyfile

    def copyfile(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> Any:
        def half() -> None:
            data = Path(src).read_bytes()
            Path(dst).write_bytes(data[: len(data) // 2])

        point("standby_copy:", half)
        return original_copy(src, dst)

    embedded.shutil = _Proxy(shutil, copyfile=copyfile)  # type: ignore[assignment]

    def mkstemp(*args: Any, **kwargs: Any) -> tuple[int, str]:
        made = tempfile.mkstemp(*args, **kwargs)
        target = kwargs["prefix"].strip(".").rsplit(".", 1)[0]  # ".brief.html.<pid>." -> "brief.html"
        point(f"write:{target}")  # the temporary file exists, the target is not replaced yet
        return made

    atomic_files.tempfile = _Proxy(tempfile, mkstemp=mkstemp)  # type: ignore[assignment]


class _Proxy:
    """A module as seen by one of ours, with some functions replaced."""

    def __init__(self, module: Any, **replaced: Callable[..., Any]) -> None:
        self._module, self._replaced = module, replaced

    def __getattr__(self, name: str) -> Any:
        return self._replaced.get(name) or getattr(self._module, name)
