"""Child process: run the ingest job over a partition range, as a sensor run, a feed poll or a backfill.

    NEWS_SEEDS_DIR=… NEWS_WAREHOUSE_DIR=… [NEWS_SOURCES_FILE=…] python -m tests.reliability.run_child FIRST LAST

Configuration comes from the environment, exactly as for `make run` and `make ui`.
"""

from __future__ import annotations

import sys

from pipelines.core.settings import Settings
from tests.integration.helpers import materialize_range


def main(first: str, last: str) -> int:
    result = materialize_range(Settings.from_env(), [first, last], raise_on_error=False)
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:3]))
