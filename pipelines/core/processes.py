"""Whether a process still runs, told apart from a later process that was given the same pid.

A pid alone is not an identity: the kernel hands pids out again, and a killed process stays in the table
as a zombie until its parent collects it. On Linux /proc/<pid>/stat tells both the state and when the
process started (clock ticks since boot); elsewhere only "some process has this pid" can be known.
"""

from __future__ import annotations

import os
from pathlib import Path


def _stat_fields(pid: int) -> list[str] | None:
    """Fields of /proc/<pid>/stat after the command name (None without procfs or without the process)."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return text[text.rfind(")") + 2 :].split()


def start_ticks(pid: int) -> str:
    """When the process started (clock ticks since boot; empty where procfs is absent)."""
    fields = _stat_fields(pid)
    return fields[19] if fields and len(fields) > 19 else ""


def running(pid: int, started: str = "") -> bool:
    """Whether process `pid` runs (not a zombie) and, when `started` (start_ticks) is given, is the same
    process that had that pid then."""
    fields = _stat_fields(pid)
    if fields is not None:
        return fields[0] != "Z" and (not started or fields[19] == started)
    if Path("/proc/self/stat").exists():
        return False  # procfs works, and has no such pid
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    return True
