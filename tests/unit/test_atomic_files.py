"""Pages written whole, and what killed writers leave behind (pipelines/core/atomic_files.py)."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from pipelines.core.atomic_files import write_atomically


def test_a_killed_writers_temporary_file_goes_and_a_live_ones_stays(tmp_path: Path) -> None:
    page = tmp_path / "brief.html"
    gone = subprocess.Popen(["true"])
    gone.wait()
    leftover = tmp_path / f".brief.html.{gone.pid}.x1y2.tmp"  # killed between writing and renaming
    busy = tmp_path / f".brief.html.{os.getppid()}.a1b2.tmp"  # a writer still at work
    other = tmp_path / f".other.html.{gone.pid}.c3d4.tmp"  # another target's: not ours to judge
    for path in (leftover, busy, other):
        path.write_text("half a page")
    write_atomically(page, "<p>whole</p>")
    assert page.read_text() == "<p>whole</p>" and oct(page.stat().st_mode & 0o777) == "0o644"
    assert not leftover.exists() and busy.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["brief.html", busy.name, other.name])
