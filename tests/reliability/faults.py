"""Fault injection for the reliability tests: kill the process at the k-th warehouse write.

Write points are every call that changes the working database (insert, insert_new, upsert, named
statements, with_rows statements), the moment before each COMMIT (so a kill lands inside an open
transaction), and the publish copy (killed half-way through writing the temp file). Production code
has no hooks: the Session methods are wrapped here, in the child process only.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from pipelines.core import warehouse as wh

WRITE_METHODS = ("insert", "insert_new", "upsert", "run", "with_rows")


def install(kill_at: int, calls: list[str]) -> None:
    """Record each write point in `calls` ("method:target"); SIGKILL ourselves at point `kill_at` (1-based)."""

    def point(label: str, before_kill: Callable[[], None] | None = None) -> None:
        calls.append(label)
        if len(calls) == kill_at:
            if before_kill:
                before_kill()
            os.kill(os.getpid(), signal.SIGKILL)

    def wrap(name: str) -> None:
        original = getattr(wh.Session, name)

        def wrapped(self: wh.Session, target: Any, *args: Any, **kwargs: Any) -> Any:
            label = args[1] if name == "with_rows" else target  # with_rows(relname, rows, statement)
            point(f"{name}:{label}")
            return original(self, target, *args, **kwargs)

        setattr(wh.Session, name, wrapped)

    for name in WRITE_METHODS:
        wrap(name)

    original_transaction = wh.Session.transaction

    @contextlib.contextmanager
    def transaction(self: wh.Session) -> Iterator[wh.Session]:
        with original_transaction(self) as session:
            yield session
            point("commit:")

    wh.Session.transaction = transaction  # type: ignore[method-assign]
    original_copy = shutil.copyfile

    def copyfile(src: str | os.PathLike[str], dst: str | os.PathLike[str]) -> Any:
        def half() -> None:
            data = Path(src).read_bytes()
            Path(dst).write_bytes(data[: len(data) // 2])

        point("publish_copy:", half)
        return original_copy(src, dst)

    wh.shutil = _ShutilProxy(copyfile)  # type: ignore[assignment]


class _ShutilProxy:
    """shutil as seen by the warehouse module, with copyfile replaced."""

    def __init__(self, copyfile: Callable[..., Any]) -> None:
        self.copyfile = copyfile

    def __getattr__(self, name: str) -> Any:
        return getattr(shutil, name)
