"""Child process: run the ingest job over a partition range, as a sensor run or a backfill would.

python -m tests.reliability.run_child SEEDS WAREHOUSE FIRST LAST
"""

from __future__ import annotations

import sys
from pathlib import Path

import dagster as dg

from pipelines.core.settings import Settings
from pipelines.definitions import ALL_ASSETS, build_resources
from pipelines.defs.common import range_tags
from tests.integration.helpers import news_resource


def main(seeds: str, warehouse: str, first: str, last: str) -> int:
    settings = Settings(Path(seeds), Path(warehouse))
    result = dg.materialize(
        ALL_ASSETS,
        resources=build_resources(news_resource(settings)),
        tags=range_tags(first, last),
        raise_on_error=False,
    )
    return 0 if result.success else 1


if __name__ == "__main__":
    raise SystemExit(main(*sys.argv[1:5]))
