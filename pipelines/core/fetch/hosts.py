"""Per-host politeness: one request at a time to a host, and a pause between two requests to it.

Requests to different hosts go on in parallel (the fetch workers), so a slow or strict site does not
hold up the rest, while no site sees more than one request at a time from us.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator


class HostGate:
    """`with gate.turn(host): request(...)` waits for the host's turn, then keeps it for the request."""

    def __init__(self, delay_seconds: float) -> None:
        self.delay_seconds = delay_seconds
        self._locks: dict[str, threading.Lock] = {}
        self._last: dict[str, float] = {}
        self._delays: dict[str, float] = {}
        self._guard = threading.Lock()

    def slow_down(self, host: str, delay_seconds: float) -> None:
        """Wait longer between requests to `host` (a robots.txt Crawl-delay), never shorter."""
        with self._guard:
            self._delays[host] = max(delay_seconds, self._delays.get(host, self.delay_seconds))

    @contextlib.contextmanager
    def turn(self, host: str) -> Iterator[None]:
        with self._guard:
            lock = self._locks.setdefault(host, threading.Lock())
            delay = self._delays.get(host, self.delay_seconds)
        with lock:
            wait = self._last.get(host, float("-inf")) + delay - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            try:
                yield
            finally:
                self._last[host] = time.monotonic()
