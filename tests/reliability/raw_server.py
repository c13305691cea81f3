"""A TCP server on 127.0.0.1 that misbehaves on purpose: resets mid-body, drips bytes, rate-limits,
redirects forever. Each path names its behaviour; `hits` counts requests per path."""

from __future__ import annotations

import contextlib
import socket
import struct
import threading
import time
from collections import Counter

FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
    b"<item><title>After a 429</title><link>http://127.0.0.1/none</link><guid>g1</guid>"
    b"<description>An entry whose text arrives after the server asked us to wait.</description></item>"
    b"</channel></rss>"
)


class RawServer:
    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(32)
        self.port = self.sock.getsockname()[1]
        self.hits: Counter[str] = Counter()
        self.first_seen: dict[str, float] = {}
        self.stopped = False
        threading.Thread(target=self._accept, daemon=True).start()

    def url(self, path: str, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    def close(self) -> None:
        self.stopped = True
        self.sock.close()

    def __enter__(self) -> RawServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _accept(self) -> None:
        while not self.stopped:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            threading.Thread(target=self._handle, args=(conn,), daemon=True).start()

    def _handle(self, conn: socket.socket) -> None:
        try:
            request = conn.recv(65536).decode("latin-1")
            path = request.split(" ", 2)[1] if " " in request else "/"
            self.hits[path] += 1
            self.first_seen.setdefault(path, time.monotonic())
            getattr(self, "_" + path.strip("/").split("/")[0].replace("-", "_"), self._not_found)(conn, path)
        except OSError:
            pass
        finally:
            with contextlib.suppress(OSError):
                conn.close()

    @staticmethod
    def _send(conn: socket.socket, status: str, body: bytes = b"", headers: str = "") -> None:
        head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\nConnection: close\r\n{headers}\r\n"
        conn.sendall(head.encode() + body)

    def _not_found(self, conn: socket.socket, path: str) -> None:
        self._send(conn, "404 Not Found")

    def _reset(self, conn: socket.socket, path: str) -> None:
        """Promise 100 kB, send 200 bytes, then reset the connection (RST, not a clean close)."""
        conn.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n" + FEED[:200]
        )
        time.sleep(0.05)
        conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))

    def _drip(self, conn: socket.socket, path: str) -> None:
        """One byte every 0.2 s, forever: every read succeeds, the download never ends."""
        conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/rss+xml\r\nContent-Length: 100000\r\n\r\n")
        while not self.stopped:
            conn.sendall(b" ")
            time.sleep(0.2)

    def _limited(self, conn: socket.socket, path: str) -> None:
        """429 with Retry-After: 1 on the first request, the feed afterwards."""
        if self.hits[path] == 1:
            self._send(conn, "429 Too Many Requests", b"slow down", "Retry-After: 1\r\n")
        else:
            self._send(conn, "200 OK", FEED, "Content-Type: application/rss+xml\r\n")

    def _endless(self, conn: socket.socket, path: str) -> None:
        """Every hop redirects to a new URL: not a loop, just no end."""
        self._send(conn, "302 Found", headers=f"Location: /endless/{self.hits.total()}\r\n")
