"""Configuration from environment variables, resolved once.

Relative paths are resolved against the project root rather than the working directory, so `make run`,
`dagster dev` and a test started from any folder agree on where the seeds and the warehouse are.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

PROJECT_ROOT = Path(__file__).resolve().parents[2]
N = TypeVar("N", int, float)

DEFAULT_MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DEFAULT_MAX_JSONL_BYTES = 1024 * 1024 * 1024
DEFAULT_SOURCES_FILE = "sources.yaml"
DEFAULT_FEED_POLL_CRON = "*/30 * * * *"
DEFAULT_USER_AGENT = "news-ingest/0.1 (feed reader; +https://github.com/news-ingest/news-ingest)"
# What NEWS_FETCH_ALLOW_PRIVATE=1 means: every address. Unspecified and multicast addresses stay refused.
ALL_NETWORKS = ("0.0.0.0/0", "::/0")
# Estimated Jaccard similarity (5-word shingles) from which two articles are near-duplicates; chosen by
# `make eval ONLY=dedupe` (ANALYSTS.md, Near-duplicates).
DEFAULT_DEDUPE_THRESHOLD = 0.55


def _path(value: str) -> Path:
    path = Path(value).expanduser()
    return path if path.is_absolute() else PROJECT_ROOT / path


def rules_file(variable: str, default: Path) -> Path:
    """An analysts' rules file: the one the environment variable names (relative to the project folder),
    else the default in the repository."""
    raw = os.environ.get(variable)
    return _path(raw) if raw else default


def _number(name: str, default: N, kind: type[N]) -> N:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return kind(raw)
    except ValueError as exc:
        what = "a whole number" if kind is int else "a number"
        raise ValueError(f"{name}={raw!r} is not {what}; unset it or give {what}") from exc


def _bool(name: str, default: bool) -> bool:
    raw = (os.environ.get(name) or "").strip().lower()
    if not raw:
        return default
    if raw in ("1", "true", "yes", "on"):
        return True
    if raw in ("0", "false", "no", "off"):
        return False
    raise ValueError(f"{name}={raw!r} is not a yes/no value; use 1 or 0")


def _networks(name: str) -> tuple[str, ...]:
    """NEWS_FETCH_ALLOW_PRIVATE: empty/0 = public addresses only, 1 = any address, or a comma-separated
    list of networks (CIDR) to allow besides the public internet, e.g. 127.0.0.1/32,10.0.0.0/8."""
    raw = (os.environ.get(name) or "").strip()
    if raw.lower() in ("", "0", "false", "no", "off"):
        return ()
    if raw.lower() in ("1", "true", "yes", "on", "all"):
        return ALL_NETWORKS
    return tuple(part.strip() for part in raw.split(",") if part.strip())


@dataclass(frozen=True)
class FetchSettings:
    """How the pipeline talks to web servers (OPERATIONS.md, Configuration: NEWS_FETCH_*).

    The defaults are those of a polite reader: one request at a time per host with a pause between
    requests, a few retries spaced out, robots.txt honoured for article pages, and only public internet
    addresses (a feed must not make the pipeline probe the machine or network it runs in).
    """

    user_agent: str = DEFAULT_USER_AGENT
    timeout_seconds: float = 20.0
    retries: int = 2
    retry_backoff_seconds: float = 2.0
    host_delay_seconds: float = 1.0
    max_redirects: int = 5
    robots: bool = True
    allow_private: tuple[str, ...] = ()
    workers: int = 4
    max_pages_per_poll: int = 100

    @classmethod
    def from_env(cls) -> FetchSettings:
        return cls(
            user_agent=os.environ.get("NEWS_FETCH_USER_AGENT") or DEFAULT_USER_AGENT,
            timeout_seconds=_number("NEWS_FETCH_TIMEOUT", cls.timeout_seconds, float),
            retries=_number("NEWS_FETCH_RETRIES", cls.retries, int),
            retry_backoff_seconds=cls.retry_backoff_seconds,
            host_delay_seconds=_number("NEWS_FETCH_HOST_DELAY", cls.host_delay_seconds, float),
            max_redirects=cls.max_redirects,
            robots=_bool("NEWS_FETCH_ROBOTS", cls.robots),
            allow_private=_networks("NEWS_FETCH_ALLOW_PRIVATE"),
            workers=_number("NEWS_FETCH_WORKERS", cls.workers, int),
            max_pages_per_poll=_number("NEWS_FETCH_MAX_PAGES_PER_POLL", cls.max_pages_per_poll, int),
        )


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
    # The feeds and pages to poll; None (or a path that does not exist) means seeds only.
    sources_file: Path | None = None
    fetch: FetchSettings = field(default_factory=FetchSettings)
    dedupe_threshold: float = DEFAULT_DEDUPE_THRESHOLD
    # Which warehouse the stages write (pipelines.core.storage.open_storage): empty for the embedded DuckDB file
    # in warehouse_dir (the default), ducklake:postgres://… for a DuckLake warehouse (NEWS_WAREHOUSE_URL).
    warehouse_url: str = ""

    @classmethod
    def from_env(cls) -> Settings:
        return cls(
            seeds_dir=_path(os.environ.get("NEWS_SEEDS_DIR") or "seeds"),
            warehouse_dir=_path(os.environ.get("NEWS_WAREHOUSE_DIR") or "warehouse"),
            max_document_bytes=_number("NEWS_MAX_DOCUMENT_BYTES", DEFAULT_MAX_DOCUMENT_BYTES, int),
            max_jsonl_bytes=_number("NEWS_MAX_JSONL_BYTES", DEFAULT_MAX_JSONL_BYTES, int),
            sources_file=_path(os.environ.get("NEWS_SOURCES_FILE") or DEFAULT_SOURCES_FILE),
            fetch=FetchSettings.from_env(),
            dedupe_threshold=_similarity("NEWS_DEDUPE_THRESHOLD", DEFAULT_DEDUPE_THRESHOLD),
            warehouse_url=(os.environ.get("NEWS_WAREHOUSE_URL") or "").strip(),
        )

    @property
    def has_sources(self) -> bool:
        """True when a sources file exists: feeds and pages are polled besides the seed folder."""
        return self.sources_file is not None and self.sources_file.is_file()


def feed_poll_cron() -> str:
    """When the feed-poll schedule ticks (NEWS_FEED_POLL_CRON, cron syntax, default every 30 minutes)."""
    return (os.environ.get("NEWS_FEED_POLL_CRON") or "").strip() or DEFAULT_FEED_POLL_CRON
