"""Quality evaluations (`make eval`). Each module here scores one stage against data in ../shared/eval.

A module registers itself in EVALUATIONS below with a function `run(data_dir: Path) -> Result`. The data
is read at run time from NEWS_EVAL_DIR (default: ../shared/eval next to the project) and never copied
into the repository; when it is absent the evaluation is skipped with a message, not failed.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pipelines.core.settings import PROJECT_ROOT


def eval_data_dir() -> Path:
    raw = os.environ.get("NEWS_EVAL_DIR")
    return Path(raw).expanduser() if raw else PROJECT_ROOT.parent / "shared" / "eval"


@dataclass
class Result:
    """What one evaluation measured: a headline table in Markdown plus the numbers as JSON."""

    name: str
    markdown: str
    metrics: dict[str, Any] = field(default_factory=dict)
    skipped: str | None = None


# name -> "module:function"; modules are imported lazily so one missing optional piece cannot break the rest.
EVALUATIONS: dict[str, str] = {
    "extraction": "pipelines.evaluation.extraction:run",
    "language": "pipelines.evaluation.language:run",
    "dedupe": "pipelines.evaluation.dedupe:run",
    "stories": "pipelines.evaluation.stories:run",
    "events": "pipelines.evaluation.events:run",
    "event_rates": "pipelines.evaluation.event_rates:run",
}
