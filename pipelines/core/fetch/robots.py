"""robots.txt, read once per site and run, honoured for article pages (NEWS_FETCH_ROBOTS).

Rules are matched by protego, which implements RFC 9309: the `*` and `$` wildcards, the longest match
winning, Allow over Disallow on ties. Python's urllib.robotparser ignores wildcards, so pages under a
site's `Disallow: /*?print=` or `Disallow: /*.pdf$` were fetched. Groups are matched by the product
token, the first word of our User-Agent. Status handling follows RFC 9309: a robots.txt that does not
exist (4xx) allows everything; one the server cannot serve (5xx, network error) means "stay away for
now", so pages of that site are not fetched in this run (their feed entries still provide text). A
Crawl-delay slows our requests to the site down (capped at a minute), never speeds them up.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from urllib.parse import urlsplit, urlunsplit

from protego import Protego

from pipelines.core.fetch.hosts import HostGate

# RFC 9309 asks crawlers to read at least 500 KiB of a robots.txt; more is not read.
ROBOTS_MAX_BYTES = 512 * 1024
MAX_CRAWL_DELAY_SECONDS = 60.0

# (status, body, error) of one GET of a robots.txt URL
RobotsFetch = Callable[[str], tuple[int | None, bytes | None, str | None]]


class RobotsRules:
    """Answers "may this page be fetched?" for one user agent, caching each site's rules."""

    def __init__(self, fetch: RobotsFetch, user_agent: str, gate: HostGate) -> None:
        self._fetch = fetch
        self._user_agent = user_agent.split("/", 1)[0].split()[0] if user_agent.strip() else "*"
        self._gate = gate
        self._rules: dict[str, Protego | str | None] = {}
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    def refusal(self, url: str) -> str | None:
        """Why robots.txt keeps us from `url`, or None when it may be fetched."""
        parts = urlsplit(url)
        origin = urlunsplit((parts.scheme.lower(), parts.netloc.lower(), "", "", ""))
        with self._guard:
            lock = self._locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._rules:
                self._rules[origin] = self._load(origin, parts.hostname or "")
        rules = self._rules[origin]
        if isinstance(rules, str):
            return rules
        if rules is not None and not rules.can_fetch(url, self._user_agent):
            return f"{origin}/robots.txt disallows it for our user agent"
        return None

    def _load(self, origin: str, host: str) -> Protego | str | None:
        status, body, error = self._fetch(f"{origin}/robots.txt")
        if status is not None and 400 <= status < 500:
            return None
        if status is None or status >= 500 or body is None:
            return f"{origin}/robots.txt could not be read ({error or f'HTTP {status}'}); not fetched for now"
        parser = Protego.parse(body.decode("utf-8", "replace"))
        delay = parser.crawl_delay(self._user_agent)
        if delay:
            self._gate.slow_down(host, min(float(delay), MAX_CRAWL_DELAY_SECONDS))
        return parser
