"""`python -m pipelines.benchmarks [name ...]`: run benchmarks; results in $NEWS_WAREHOUSE_DIR/reports/bench.*"""

from __future__ import annotations

import importlib
import json
import os
import platform
import sys
import time

from pipelines.benchmarks import BENCHMARKS
from pipelines.core.settings import Settings
from pipelines.evaluation import Result, eval_data_dir


def main(argv: list[str]) -> int:
    names = argv or list(BENCHMARKS)
    unknown = [n for n in names if n not in BENCHMARKS]
    if unknown:
        print(f"unknown benchmark(s) {unknown}; known: {list(BENCHMARKS)}", file=sys.stderr)
        return 2
    quick = os.environ.get("BENCH_QUICK") == "1"
    machine = {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()}
    print(f"Machine: {machine}{'  (BENCH_QUICK=1: reduced sizes)' if quick else ''}")
    results: list[Result] = []
    for name in names:
        module_name, func = BENCHMARKS[name].split(":")
        started = time.monotonic()
        result: Result = getattr(importlib.import_module(module_name), func)(eval_data_dir(), quick)
        result.metrics.setdefault("seconds", round(time.monotonic() - started, 1))
        results.append(result)
        print(f"\n## {result.name}\n")
        print(result.skipped and f"_skipped: {result.skipped}_" or result.markdown, flush=True)
    out = Settings.from_env().warehouse_dir / "reports"
    out.mkdir(parents=True, exist_ok=True)
    payload = {"machine": machine, "quick": quick} | {r.name: r.metrics | {"skipped": r.skipped} for r in results}
    (out / "bench.json").write_text(json.dumps(payload, indent=2))
    (out / "bench.md").write_text("\n\n".join(f"## {r.name}\n\n{r.skipped or r.markdown}" for r in results) + "\n")
    print(f"\nWritten: {out / 'bench.md'}, {out / 'bench.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
