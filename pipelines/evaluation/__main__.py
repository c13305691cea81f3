"""`python -m pipelines.evaluation [name ...]`: run the evaluations, print Markdown, write JSON.

Results go to $NEWS_WAREHOUSE_DIR/reports/eval.json and eval.md (git-ignored) so numbers quoted in the
README can be re-derived by anyone with the data.
"""

from __future__ import annotations

import importlib
import json
import sys
import time

from pipelines.core.settings import Settings
from pipelines.evaluation import EVALUATIONS, Result, eval_data_dir


def main(argv: list[str]) -> int:
    names = argv or list(EVALUATIONS)
    unknown = [n for n in names if n not in EVALUATIONS]
    if unknown:
        print(f"unknown evaluation(s) {unknown}; known: {list(EVALUATIONS)}", file=sys.stderr)
        return 2
    data = eval_data_dir()
    if not data.is_dir():
        print(f"Evaluation data not found at {data} (set NEWS_EVAL_DIR); skipping all evaluations.")
        return 0
    results: list[Result] = []
    for name in names:
        module_name, func = EVALUATIONS[name].split(":")
        started = time.monotonic()
        result: Result = getattr(importlib.import_module(module_name), func)(data)
        result.metrics.setdefault("seconds", round(time.monotonic() - started, 1))
        results.append(result)
        print(f"\n## {result.name}\n")
        print(result.skipped and f"_skipped: {result.skipped}_" or result.markdown, flush=True)
    out = Settings.from_env().warehouse_dir / "reports"
    out.mkdir(parents=True, exist_ok=True)
    (out / "eval.json").write_text(json.dumps({r.name: r.metrics | {"skipped": r.skipped} for r in results}, indent=2))
    (out / "eval.md").write_text("\n\n".join(f"## {r.name}\n\n{r.skipped or r.markdown}" for r in results) + "\n")
    print(f"\nWritten: {out / 'eval.md'}, {out / 'eval.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
