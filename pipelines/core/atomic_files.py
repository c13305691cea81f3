"""Files written whole or not at all, and the temporary files of writers that were killed half-way.

A reader must never see half a page: the text goes to a temporary file beside the target, is synced,
then renamed over it. A writer killed before the rename (kill -9, a full disk) leaves its temporary file
behind; the name holds the writer's pid, so the next writer of the same target removes the leftovers of
processes that no longer run and leaves alone those of a writer still at work.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from pipelines.core.processes import running


def remove_leftovers(path: Path) -> list[Path]:
    """Remove the temporary files that killed writers of `path` left; returns them."""
    removed = []
    for leftover in path.parent.glob(f".{path.name}.*.tmp"):
        pid = leftover.name[len(path.name) + 2 :].split(".", 1)[0]
        if pid.isdigit() and not running(int(pid)):
            leftover.unlink(missing_ok=True)
            removed.append(leftover)
    return removed


def write_atomically(path: Path, text: str, mode: int = 0o644) -> None:
    """Replace `path` with `text` (UTF-8): readers see the old file or the new one, never a part."""
    remove_leftovers(path)
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.{os.getpid()}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        tmp.chmod(mode)  # mkstemp makes it private
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def fsync_dir(path: Path) -> None:
    """Make a rename or a new file in `path` durable: a file's own fsync does not persist its directory
    entry, so a crash right after a rename could otherwise bring back the old name."""
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
