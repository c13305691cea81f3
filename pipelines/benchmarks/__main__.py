"""`python -m pipelines.benchmarks [name ...]`: run benchmarks; results in $NEWS_WAREHOUSE_DIR/reports/bench.*"""

from __future__ import annotations

import os
import platform
import sys

from pipelines.benchmarks import BENCHMARKS, ON_REQUEST
from pipelines.evaluation import eval_data_dir
from pipelines.evaluation.runner import run_registry


def main(argv: list[str]) -> int:
    quick = os.environ.get("BENCH_QUICK") == "1"
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    print(f"Machine: {machine}{'  (BENCH_QUICK=1: reduced sizes)' if quick else ''}")
    data = eval_data_dir()
    names = argv or list(BENCHMARKS)
    header = {"machine": machine, "quick": quick}
    return run_registry("bench", BENCHMARKS | ON_REQUEST, names, lambda fn: fn(data, quick), header)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
