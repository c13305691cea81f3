"""A web site the tests build: a ThreadingHTTPServer on 127.0.0.1 answering what each test tells it to.

No test touches the network: every URL the pipeline fetches in the suite points here.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any

from pipelines.core.settings import FetchSettings


def local_fetch_settings(**overrides: Any) -> FetchSettings:
    """Fetch settings for talking to a LocalSite: 127.0.0.1 allowed (never by default), no politeness
    pause, quick retries and timeouts, so failure cases take fractions of a second."""
    fast: dict[str, Any] = {
        "allow_private": ("127.0.0.1/32",),
        "host_delay_seconds": 0.0,
        "retry_backoff_seconds": 0.01,
        "timeout_seconds": 1.0,
    }
    return FetchSettings(**(fast | overrides))


@dataclass
class Reply:
    """One answer. `etag`/`last_modified` make the path answer 304 to a matching conditional GET;
    `truncate_to` declares the full Content-Length but sends only that many bytes, then hangs up;
    `until_close` sends no Content-Length: the body ends when the server closes the connection."""

    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0
    etag: str | None = None
    last_modified: str | None = None
    truncate_to: int | None = None
    until_close: bool = False


class LocalSite:
    """`with LocalSite() as site: site.serve("/feed.xml", Reply(...)); url = site.url("/feed.xml")`."""

    def __init__(self) -> None:
        self._routes: dict[str, list[Reply]] = {}
        self._served: dict[str, int] = {}
        self.fallback: Callable[[str], Reply | None] | None = None
        self.requests: list[tuple[str, dict[str, str]]] = []
        self._lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # Headers and body are separate writes: without this, Nagle's algorithm and delayed ACKs
            # stall every keep-alive response by ~40 ms.
            disable_nagle_algorithm = True

            def do_GET(self) -> None:
                site._answer(self)

            def log_message(self, format: str, *args: object) -> None:
                return

        class Server(ThreadingHTTPServer):
            def handle_error(self, request: object, client_address: object) -> None:
                return  # clients hanging up early is what several tests do on purpose

        self._server = Server(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    def __enter__(self) -> LocalSite:
        self._thread.start()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._server.shutdown()
        self._server.server_close()

    def url(self, path: str) -> str:
        return self.base + path

    def serve(self, path: str, *replies: Reply) -> str:
        """Successive requests for `path` get successive replies; the last one repeats. Returns the URL."""
        with self._lock:
            self._routes[path] = list(replies)
            self._served[path] = 0
        return self.url(path)

    def hits(self, path: str) -> int:
        with self._lock:
            return sum(1 for p, _ in self.requests if p == path)

    def _reply_for(self, path: str) -> Reply | None:
        with self._lock:
            replies = self._routes.get(path)
            if replies:
                index = min(self._served[path], len(replies) - 1)
                self._served[path] += 1
                return replies[index]
        return self.fallback(path) if self.fallback else None

    def _answer(self, handler: BaseHTTPRequestHandler) -> None:
        with self._lock:
            self.requests.append((handler.path, {k.lower(): v for k, v in handler.headers.items()}))
        reply = self._reply_for(handler.path) or Reply(404, b"not found", {"Content-Type": "text/plain"})
        if reply.delay:
            time.sleep(reply.delay)
        conditional = (reply.etag and handler.headers.get("If-None-Match") == reply.etag) or (
            reply.last_modified and handler.headers.get("If-Modified-Since") == reply.last_modified
        )
        status, body = (304, b"") if conditional else (reply.status, reply.body)
        handler.send_response(status)
        headers = {k.lower(): v for k, v in reply.headers.items()}
        if reply.etag:
            headers["etag"] = reply.etag
        if reply.last_modified:
            headers["last-modified"] = reply.last_modified
        if status != 304 and not reply.until_close:
            headers.setdefault("content-length", str(len(body)))
        for name, value in headers.items():
            handler.send_header(name, value)
        hang_up = reply.truncate_to is not None or reply.until_close
        if hang_up:
            handler.send_header("connection", "close")
        handler.end_headers()
        if status == 304:
            return
        try:
            handler.wfile.write(body if reply.truncate_to is None else body[: reply.truncate_to])
            handler.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
        if hang_up:
            handler.close_connection = True
