"""Configuration from environment variables, resolved once.

Relative paths are resolved against the project root rather than the working directory, so `make run`,
`dagster dev` and a test started from any folder agree on where the seeds and the warehouse are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]

DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_JSONL_BYTES = 1024 * 1024 * 1024
# Estimated Jaccard similarity (5-word shingles) from which two articles are near-duplicates; chosen by
# `make eval ONLY=dedupe` (README, Near-duplicates).
DEFAULT_DEDUPE_THRESHOLD = 0.55


def _path(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ValueError(f"{name}={raw!r} is not an integer; unset it or give a number of bytes") from exc


def _similarity(name: str, default: float) -> float:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    problem = f"{name}={raw!r} is not a similarity: unset it or give a number above 0 and at most 1"
    try:
        value = float(raw)
    except ValueError as exc:
        raise ValueError(problem) from exc
    if not 0.0 < value <= 1.0:
        raise ValueError(problem)
    return value


@dataclass(frozen=True)
class Settings:
    """Everything a run needs to know about its surroundings."""

    seeds_dir: Path
    warehouse_dir: Path
    max_document_bytes: int = DEFAULT_MAX_DOCUMENT_BYTES
    max_jsonl_bytes: int = DEFAULT_MAX_JSONL_BYTES
    dedupe_threshold: float = DEFAULT_DEDUPE_THRESHOLD

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            seeds_dir=_path(os.environ.get("NEWS_SEEDS_DIR") or "seeds"),
            warehouse_dir=_path(os.environ.get("NEWS_WAREHOUSE_DIR") or "warehouse"),
            max_document_bytes=_int("NEWS_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES),
            max_jsonl_bytes=_int("NEWS_MAX_JSONL_BYTES", DEFAULT_MAX_JSONL_BYTES),
            dedupe_threshold=_similarity("NEWS_DEDUPE_THRESHOLD", DEFAULT_DEDUPE_THRESHOLD),
        )
