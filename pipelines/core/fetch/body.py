"""Reading a response body without ever holding more than the size limit.

The limit applies to the decoded bytes: a 100 KB gzip body can expand to 100 MB ("gzip bomb"), so the
body is decompressed here, in steps that never produce more than what is left of the allowance,
instead of by the HTTP library (which inflates each network chunk in one go).
"""

from __future__ import annotations

import zlib
from typing import Any


class BodyTooLarge(Exception):
    """The decoded body passed the size limit."""


class BodyCorrupt(Exception):
    """The body cannot be decoded with the Content-Encoding the server declared."""


def too_large_message(limit: int) -> str:
    return f"response larger than {limit / 1048576:.1f} MiB; raise NEWS_MAX_DOCUMENT_BYTES to accept it"


class BoundedBody:
    """Accumulates raw chunks of one response, decoding gzip/deflate, and raises past `limit` bytes."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        encoding = (content_encoding or "identity").strip().lower()
        if encoding in ("gzip", "x-gzip"):
            self._inflater: Any = zlib.decompressobj(zlib.MAX_WBITS | 16)
        elif encoding == "deflate":
            self._inflater = None  # zlib-wrapped or raw: decided by the first bytes
        elif encoding == "identity":
            self._inflater = None
        else:
            raise BodyCorrupt(f"unsupported Content-Encoding {encoding!r} (only gzip and deflate are requested)")
        self._encoding = encoding
        self._limit = limit
        self._parts: list[bytes] = []
        self._size = 0
        self._head = b""  # deflate: the first bytes, until there are enough to tell zlib from raw

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise BodyTooLarge(too_large_message(self._limit))
        self._parts.append(data)

    def feed(self, chunk: bytes) -> None:
        if self._encoding == "identity":
            self._keep(chunk)
            return
        if self._inflater is None:  # deflate: RFC 9110 means zlib format, but many servers send raw deflate
            chunk, self._head = self._head + chunk, b""
            if len(chunk) < 2:
                self._head = chunk
                return
            zlib_header = chunk[0] & 0x0F == 8 and (chunk[0] << 8 | chunk[1]) % 31 == 0
            self._inflater = zlib.decompressobj(zlib.MAX_WBITS if zlib_header else -zlib.MAX_WBITS)
        data = chunk
        try:
            while data:
                room = self._limit - self._size
                self._keep(self._inflater.decompress(data, room + 1))
                data = self._inflater.unconsumed_tail
        except zlib.error as exc:
            raise BodyCorrupt(f"corrupt {self._encoding} body: {exc}") from exc

    def finish(self) -> bytes:
        if self._head:  # a deflate body of a single byte is not a deflate body
            raise BodyCorrupt("corrupt deflate body: too short")
        if self._inflater is not None:
            try:
                self._keep(self._inflater.flush())
            except zlib.error as exc:
                raise BodyCorrupt(f"corrupt {self._encoding} body: {exc}") from exc
            if self._encoding != "deflate" and not self._inflater.eof:
                raise BodyCorrupt(f"{self._encoding} body ends before its end marker (truncated)")
        return b"".join(self._parts)
