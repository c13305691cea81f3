"""The one HTTP client: every feed, page and robots.txt request goes through `Fetcher.get`.

What a request gets, in one place:
- only http/https, only allowed addresses, checked on every connection and redirect (addresses.py);
- a descriptive User-Agent, gzip/deflate, conditional GET (If-None-Match / If-Modified-Since);
- redirects followed by hand, at most `max_redirects`, loops named as such; a redirect body is never read;
- bodies cut at the size limit after decompression (body.py), and a whole-download deadline on top of
  the per-read timeout, so a server dripping one byte every few seconds cannot hold a worker forever;
- bounded retries with exponential backoff on timeouts, dropped connections, 429 and 5xx (Retry-After
  honoured up to a minute); never on 4xx, refusals or oversized bodies, which would fail again;
- per-host politeness (hosts.py) and robots.txt for pages (robots.py).

`get` never raises for anything the server or the network does: the result says what happened in words
a person can act on ("HTTP 404 Not Found", "timed out after 20 s (3 attempts)").
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime
from types import TracebackType
from urllib.parse import urlsplit

import httpcore
import httpx

from pipelines.core.decode import charset_param
from pipelines.core.fetch.addresses import (
    AddressPolicy,
    AddressRefused,
    GuardedBackend,
    Resolver,
    check_url,
    system_resolver,
)
from pipelines.core.fetch.body import BodyCorrupt, BodyTooLarge, BoundedBody, too_large_message
from pipelines.core.fetch.deadline import DeadlinePassed, deadline
from pipelines.core.fetch.hosts import HostGate
from pipelines.core.fetch.robots import ROBOTS_MAX_BYTES, RobotsRules
from pipelines.core.ids import sha256_hex
from pipelines.core.settings import FetchSettings
from pipelines.core.storage import utcnow

FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.9, "
    "text/xml;q=0.9, */*;q=0.5"
)
PAGE_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
MAX_RETRY_WAIT_SECONDS = 60.0
# A whole download may take this many read timeouts (default 20 s x 6 = 2 minutes).
DOWNLOAD_TIMEOUTS = 6


@dataclass(frozen=True)
class FetchResult:
    """What one GET (with its redirects and retries) produced."""

    url: str
    requested_at: datetime
    outcome: str  # ok | not_modified | error
    final_url: str | None = None
    status: int | None = None
    body: bytes | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    error: str | None = None
    attempts: int = 1
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return self.outcome == "ok"

    @property
    def media_type(self) -> str | None:
        """Content-Type without parameters, lower case ("text/html")."""
        if not self.content_type:
            return None
        return self.content_type.split(";", 1)[0].strip().lower() or None

    @property
    def charset(self) -> str | None:
        """The charset parameter of Content-Type ("koi8-r" of "text/html; charset=KOI8-R"), if any."""
        return charset_param(self.content_type)

    @property
    def sha256(self) -> str | None:
        return sha256_hex(self.body) if self.body is not None else None


class _Failed(Exception):
    """One attempt failed; `retry` says whether another attempt may succeed."""

    def __init__(self, message: str, *, retry: bool, status: int | None = None, wait: float = 0.0) -> None:
        super().__init__(message)
        self.retry = retry
        self.status = status
        self.wait = wait


def _retry_after(response: httpx.Response) -> float:
    raw = response.headers.get("retry-after", "")
    return float(raw) if raw.strip().isdigit() else 0.0


def _since(started: float) -> float:
    return round(time.monotonic() - started, 3)


def _guarded_transport(policy: AddressPolicy) -> httpx.HTTPTransport:
    """An httpx transport whose connections all go through the address policy.

    httpx has no public hook for the network backend, so the connection pool it builds is replaced by
    one with the guarded backend (pinned httpx; tests/unit/test_fetch_client.py proves the guard is in
    the path: a loopback server is refused unless allowed)."""
    transport = httpx.HTTPTransport(trust_env=False)
    transport._pool = httpcore.ConnectionPool(
        ssl_context=httpx.create_ssl_context(trust_env=False),
        max_connections=100,
        max_keepalive_connections=20,
        keepalive_expiry=5.0,
        network_backend=GuardedBackend(policy),
    )
    return transport


class Fetcher:
    """A pooled, polite, guarded HTTP client for one run. Thread-safe; use as a context manager."""

    def __init__(self, settings: FetchSettings, max_bytes: int, resolver: Resolver = system_resolver) -> None:
        self.settings = settings
        self.max_bytes = max_bytes
        self.gate = HostGate(settings.host_delay_seconds)
        self._client = httpx.Client(
            transport=_guarded_transport(AddressPolicy(settings.allow_private, resolver)),
            headers={"User-Agent": settings.user_agent, "Accept-Encoding": "gzip, deflate"},
            timeout=httpx.Timeout(settings.timeout_seconds),
            follow_redirects=False,
            trust_env=False,
        )
        self.robots = RobotsRules(self._robots_txt, settings.user_agent, self.gate) if settings.robots else None

    def __enter__(self) -> Fetcher:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._client.close()

    # -- public --------------------------------------------------------------------------------
    def get(
        self,
        url: str,
        *,
        accept: str = PAGE_ACCEPT,
        etag: str | None = None,
        last_modified: str | None = None,
        obey_robots: bool = False,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET `url`; never raises for network or server trouble (see the module docstring)."""
        requested_at = utcnow()
        started = time.monotonic()
        try:
            check_url(url)
        except AddressRefused as exc:
            return FetchResult(url, requested_at, "error", error=str(exc), attempts=0)
        if obey_robots and self.robots is not None:
            refusal = self.robots.refusal(url)
            if refusal:
                return FetchResult(url, requested_at, "error", error=f"not fetched: {refusal}", attempts=0)
        headers = {"Accept": accept}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        host = (urlsplit(url).hostname or "").lower()
        limit = max_bytes or self.max_bytes
        for attempt in range(1, self.settings.retries + 2):
            try:
                with self.gate.turn(host), deadline(self._download_seconds):
                    fields = self._attempt(url, headers, limit)
                return FetchResult(url, requested_at, attempts=attempt, seconds=_since(started), **fields)
            except _Failed as failure:
                last = failure
                if not failure.retry or attempt > self.settings.retries or failure.wait > MAX_RETRY_WAIT_SECONDS:
                    break
                time.sleep(max(self.settings.retry_backoff_seconds * 2 ** (attempt - 1), failure.wait))
        tries = f" ({attempt} attempts)" if attempt > 1 else ""
        return FetchResult(
            url,
            requested_at,
            "error",
            status=last.status,
            error=f"{last}{tries}",
            attempts=attempt,
            seconds=_since(started),
        )

    # -- internals -----------------------------------------------------------------------------
    def _attempt(self, url: str, headers: dict[str, str], limit: int) -> dict[str, object]:
        """One try: follow redirects by hand, then read the body within the limits."""
        chain = [url]
        current = url
        for _ in range(self.settings.max_redirects + 1):
            try:
                check_url(current)
                response = self._client.send(self._client.build_request("GET", current, headers=headers), stream=True)
            except AddressRefused as exc:
                raise _Failed(
                    str(exc) + (f" (after redirects from {url})" if current != url else ""), retry=False
                ) from exc
            except (httpx.InvalidURL, UnicodeError) as exc:  # e.g. a host name IDNA cannot encode
                raise _Failed(f"not a valid URL ({exc}): {current}", retry=False) from exc
            except httpx.TimeoutException as exc:
                raise self._timeout(exc, "") from exc
            except httpx.ConnectError as exc:
                raise _Failed(f"cannot connect: {str(exc) or type(exc).__name__}", retry=True) from exc
            except httpx.RemoteProtocolError as exc:
                # httpx reads the Location of every redirect while receiving it: a server that redirects to
                # a malformed URL will do so again, so this is not worth another try.
                malformed = "location header" in str(exc)
                raise _Failed(
                    f"{'the server redirected to a malformed URL' if malformed else 'broken response'} ({exc}): "
                    f"{current}",
                    retry=not malformed,
                ) from exc
            except httpx.TransportError as exc:
                raise _Failed(f"broken response: {str(exc) or type(exc).__name__}", retry=True) from exc
            try:
                if response.has_redirect_location:
                    target = str(response.url.join(response.headers["location"]))
                    if target in chain:
                        raise _Failed(
                            "redirect loop: " + " → ".join([*chain, target]), retry=False, status=response.status_code
                        )
                    chain.append(target)
                    current = target
                    continue
                return self._complete(response, limit)
            finally:
                response.close()
        raise _Failed(f"more than {self.settings.max_redirects} redirects: " + " → ".join(chain), retry=False)

    def _complete(self, response: httpx.Response, limit: int) -> dict[str, object]:
        status = response.status_code
        meta: dict[str, object] = {
            "final_url": str(response.url),
            "status": status,
            "content_type": response.headers.get("content-type"),
            "etag": response.headers.get("etag"),
            "last_modified": response.headers.get("last-modified"),
        }
        if status == 304:
            return {**meta, "outcome": "not_modified"}
        if not 200 <= status < 300:
            reason = f"HTTP {status} {response.reason_phrase}".strip()
            raise _Failed(reason, retry=status in RETRY_STATUSES, status=status, wait=_retry_after(response))
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _Failed(too_large_message(limit), retry=False, status=status)
        try:
            body = BoundedBody(response.headers.get("content-encoding"), limit)
            for chunk in response.iter_raw():  # as the network delivers: no buffering up to a chunk size
                body.feed(chunk)
            data = body.finish()
        except (BodyTooLarge, BodyCorrupt) as exc:
            raise _Failed(str(exc), retry=False, status=status) from exc
        except httpx.TimeoutException as exc:
            raise self._timeout(exc, " while reading the body", status) from exc
        except httpx.TransportError as exc:
            raise _Failed(
                f"connection closed before the whole body arrived ({exc})", retry=True, status=status
            ) from exc
        return {**meta, "outcome": "ok", "body": data}

    @property
    def _download_seconds(self) -> float:
        return self.settings.timeout_seconds * DOWNLOAD_TIMEOUTS

    def _timeout(self, exc: httpx.TimeoutException, where: str, status: int | None = None) -> _Failed:
        """A per-read timeout may pass on retry; a server too slow for the whole-request deadline will not."""
        if isinstance(exc.__cause__, DeadlinePassed) or isinstance(exc.__context__, DeadlinePassed):
            return _Failed(
                f"download did not finish within {self._download_seconds:g} s{where} (the server sends too slowly)",
                retry=False,
                status=status,
            )
        return _Failed(f"timed out after {self.settings.timeout_seconds:g} s{where}", retry=True, status=status)

    def _robots_txt(self, url: str) -> tuple[int | None, bytes | None, str | None]:
        result = self.get(url, accept="text/plain", max_bytes=ROBOTS_MAX_BYTES)
        return result.status, result.body, result.error
