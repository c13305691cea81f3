"""Child process: run the whole ingest job on a seed folder, killing itself at write point `kill_at`.

    python -m tests.reliability.crash_child SEEDS WAREHOUSE KILL_AT LOG
kill_at 0 never kills (a clean run); LOG receives the list of write points seen.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from pipelines.core.settings import Settings
from tests.reliability.faults import install


def main(seeds: str, warehouse: str, kill_at: str, log: str) -> int:
    calls: list[str] = []
    install(int(kill_at), calls)
    from tests.integration.helpers import materialize_all

    result = materialize_all(Settings(Path(seeds), Path(warehouse)), raise_on_error=False)
    Path(log).write_text(json.dumps(calls))
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
