"""The one resource every asset uses: where the seeds, sources and warehouse are, limits, fetch rules."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import dagster as dg
from dagster._core.log_manager import DagsterLogManager
from pydantic import PrivateAttr

from pipelines.core.settings import DEFAULT_DEDUPE_THRESHOLD, FetchSettings, Settings
from pipelines.core.storage import Storage, open_storage
from pipelines.defs.run_guard import RunWatcher, start_watching

_FETCH_DEFAULTS = FetchSettings()


class NewsSettings(dg.ConfigurableResource):
    """Paths, limits, the near-duplicate threshold and fetch rules, defaulting to the NEWS_* environment
    variables (see OPERATIONS.md, Configuration). The fetch_* fields are pipelines.core.settings.FetchSettings,
    one for one."""

    seeds_dir: str
    warehouse_dir: str
    max_document_bytes: int
    max_jsonl_bytes: int
    dedupe_threshold: float = DEFAULT_DEDUPE_THRESHOLD
    sources_file: str = ""  # empty: no feeds or pages, seed folder only
    warehouse_url: str = ""  # empty: the embedded DuckDB file in warehouse_dir; ducklake:postgres://…: the lake
    fetch_user_agent: str = _FETCH_DEFAULTS.user_agent
    fetch_timeout_seconds: float = _FETCH_DEFAULTS.timeout_seconds
    fetch_retries: int = _FETCH_DEFAULTS.retries
    fetch_retry_backoff_seconds: float = _FETCH_DEFAULTS.retry_backoff_seconds
    fetch_host_delay_seconds: float = _FETCH_DEFAULTS.host_delay_seconds
    fetch_max_redirects: int = _FETCH_DEFAULTS.max_redirects
    fetch_robots: bool = _FETCH_DEFAULTS.robots
    fetch_allow_private: list[str] = []  # noqa: RUF012 (pydantic copies field defaults)
    fetch_workers: int = _FETCH_DEFAULTS.workers
    fetch_max_pages_per_poll: int = _FETCH_DEFAULTS.max_pages_per_poll
    _watcher: RunWatcher | None = PrivateAttr(default=None)
    _log: DagsterLogManager | None = PrivateAttr(default=None)

    def setup_for_execution(self, context: dg.InitResourceContext) -> None:
        """Every asset uses this resource, so a run worker sets it up before its first step claims a slot
        of the writer pool: the moment to record the run's process and start its watcher (run_guard.py)."""
        self._watcher = start_watching(context)
        self._log = context.log

    def teardown_after_execution(self, context: dg.InitResourceContext) -> None:
        if self._watcher is not None:
            self._watcher.stop()

    @classmethod
    def from_settings(cls, s: Settings) -> NewsSettings:
        fetch = {f"fetch_{k}": list(v) if isinstance(v, tuple) else v for k, v in dataclasses.asdict(s.fetch).items()}
        return cls(
            seeds_dir=str(s.seeds_dir),
            warehouse_dir=str(s.warehouse_dir),
            max_document_bytes=s.max_document_bytes,
            max_jsonl_bytes=s.max_jsonl_bytes,
            dedupe_threshold=s.dedupe_threshold,
            sources_file=str(s.sources_file) if s.sources_file else "",
            warehouse_url=s.warehouse_url,
            **fetch,
        )

    @classmethod
    def from_env(cls) -> NewsSettings:
        return cls.from_settings(Settings.from_env())

    def settings(self) -> Settings:
        fetch = {f.name: getattr(self, f"fetch_{f.name}") for f in dataclasses.fields(FetchSettings)}
        fetch["allow_private"] = tuple(fetch["allow_private"])
        return Settings(
            Path(self.seeds_dir),
            Path(self.warehouse_dir),
            self.max_document_bytes,
            self.max_jsonl_bytes,
            dedupe_threshold=self.dedupe_threshold,
            sources_file=Path(self.sources_file) if self.sources_file else None,
            fetch=FetchSettings(**fetch),
            warehouse_url=self.warehouse_url,
        )

    def warehouse(self) -> Storage:
        """The warehouse NEWS_WAREHOUSE_URL chooses; in a run, why a session waits (another process's lock, a
        lake commit redone) is logged at WARNING."""
        return open_storage(self.settings(), on_wait=self._log.warning if self._log else None)
