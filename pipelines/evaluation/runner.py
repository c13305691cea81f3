"""Shared runner for `make eval` and `make bench`: run registered functions, print Markdown, write reports."""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections.abc import Callable
from typing import Any

from pipelines.core.settings import Settings
from pipelines.evaluation import Result


def run_registry(
    kind: str,
    registry: dict[str, str],
    names: list[str],
    call: Callable[[Callable[..., Result]], Result],
    header: dict[str, Any] | None = None,
) -> int:
    """Run `names` (default: all) of `registry`; `call` invokes each registered function with its arguments."""
    names = names or list(registry)
    unknown = [n for n in names if n not in registry]
    if unknown:
        print(f"unknown {kind}(s) {unknown}; known: {list(registry)}", file=sys.stderr)
        return 2
    results: list[Result] = []
    for name in names:
        module_name, func = registry[name].split(":")
        started = time.monotonic()
        result = call(getattr(importlib.import_module(module_name), func))
        result.metrics.setdefault("seconds", round(time.monotonic() - started, 1))
        results.append(result)
        print(f"\n## {result.name}\n")
        print(f"_skipped: {result.skipped}_" if result.skipped else result.markdown, flush=True)
    out = Settings.from_env().warehouse_dir / "reports"
    out.mkdir(parents=True, exist_ok=True)
    payload = (header or {}) | {r.name: r.metrics | {"skipped": r.skipped} for r in results}
    (out / f"{kind}.json").write_text(json.dumps(payload, indent=2, default=str))
    (out / f"{kind}.md").write_text("\n\n".join(f"## {r.name}\n\n{r.skipped or r.markdown}" for r in results) + "\n")
    print(f"\nWritten: {out / f'{kind}.md'}, {out / f'{kind}.json'}")
    return 0
