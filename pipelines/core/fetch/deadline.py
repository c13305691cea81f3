"""A whole-request deadline, enforced on every socket read and write.

A per-read timeout does not bound a download: a server that drips one byte just inside the timeout (in
the headers or the body) can hold a worker for hours, and httpx buffers body chunks before our code sees
them. So each request sets an absolute deadline (a context variable, hence per thread), and the network
streams the guarded backend opens shrink every read/write timeout to what is left of it.
"""

from __future__ import annotations

import contextlib
import ssl
import time
from collections.abc import Iterator
from contextvars import ContextVar
from typing import Any

import httpcore

_deadline: ContextVar[float | None] = ContextVar("fetch_deadline", default=None)


class DeadlinePassed(httpcore.ReadTimeout):
    """The request's deadline passed while still reading or writing."""


@contextlib.contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Every socket operation inside the block must finish within `seconds` from now, in total."""
    token = _deadline.set(time.monotonic() + seconds)
    try:
        yield
    finally:
        _deadline.reset(token)


def remaining(timeout: float | None) -> float | None:
    """`timeout` capped by what is left of the current deadline; DeadlinePassed when nothing is left."""
    end = _deadline.get()
    if end is None:
        return timeout
    left = end - time.monotonic()
    if left <= 0:
        raise DeadlinePassed("the whole-request deadline passed")
    return left if timeout is None else min(timeout, left)


def _passed() -> bool:
    end = _deadline.get()
    return end is not None and time.monotonic() >= end


class DeadlineStream(httpcore.NetworkStream):
    """A network stream whose every operation respects the current deadline."""

    def __init__(self, inner: httpcore.NetworkStream) -> None:
        self.inner = inner

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        try:
            return self.inner.read(max_bytes, remaining(timeout))
        except httpcore.ReadTimeout as exc:
            # A read cut short by the deadline is the deadline's failure (not retried), not a slow read.
            if _passed() and not isinstance(exc, DeadlinePassed):
                raise DeadlinePassed("the whole-request deadline passed") from exc
            raise

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        try:
            self.inner.write(buffer, remaining(timeout))
        except httpcore.WriteTimeout as exc:
            if _passed():
                raise DeadlinePassed("the whole-request deadline passed") from exc
            raise

    def close(self) -> None:
        self.inner.close()

    def start_tls(
        self, ssl_context: ssl.SSLContext, server_hostname: str | None = None, timeout: float | None = None
    ) -> httpcore.NetworkStream:
        return DeadlineStream(self.inner.start_tls(ssl_context, server_hostname, remaining(timeout)))

    def get_extra_info(self, info: str) -> Any:
        return self.inner.get_extra_info(info)
