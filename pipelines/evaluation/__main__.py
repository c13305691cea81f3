"""`python -m pipelines.evaluation [name ...]`: run the evaluations; reports in $NEWS_WAREHOUSE_DIR/reports/eval.*"""

from __future__ import annotations

import sys

from pipelines.evaluation import EVALUATIONS, eval_data_dir
from pipelines.evaluation.runner import run_registry


def main(argv: list[str]) -> int:
    data = eval_data_dir()
    if not data.is_dir():
        print(f"Evaluation data not found at {data} (set NEWS_EVAL_DIR); skipping all evaluations.")
        return 0
    return run_registry("eval", EVALUATIONS, argv, lambda fn: fn(data))


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
