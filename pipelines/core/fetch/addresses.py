"""Which addresses the pipeline may connect to, checked where the connection is made.

A feed is written by someone else, and so are its links and redirects: without this check a feed could
make the pipeline request http://169.254.169.254/ (cloud credentials), a router's admin page or a
database on localhost. Checking the URL's host name is not enough, because a public name can resolve
to a private address (or change its answer between the check and the connect). So the check lives in
the network backend of the HTTP client: every connection, including each redirect hop, resolves the
host once, refuses it unless every address is allowed, and connects to exactly the address it checked.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from typing import Any
from urllib.parse import urlsplit

import httpcore

from pipelines.core.fetch.deadline import DeadlineStream, remaining

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]

ALLOWED_SCHEMES = ("http", "https")
_HINT = "set NEWS_FETCH_ALLOW_PRIVATE to fetch from private networks"


class AddressRefused(Exception):
    """The URL or the address it resolves to is not one the pipeline may connect to."""


def check_url(url: str) -> None:
    """Refuse URLs that are not plain http(s) with a host (file:, ftp:, javascript:, data:…)."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError as exc:
        raise AddressRefused(f"not a valid URL ({exc}): {url}") from exc
    if parts.scheme.lower() not in ALLOWED_SCHEMES:
        raise AddressRefused(f"only http and https URLs are fetched, not {parts.scheme or 'a relative URL'}: {url}")
    if not host:
        raise AddressRefused(f"URL without a host: {url}")


def _kind(ip: IPAddress) -> str | None:
    """Why an address is not on the public internet, or None when it is."""
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        return _kind(ip.ipv4_mapped)
    if ip.is_loopback:
        return "a loopback address"
    if ip.is_link_local:
        return "a link-local address"
    if ip.is_private:
        return "a private-network address"
    if ip.is_reserved or not ip.is_global:
        return "a reserved address"
    return None


def system_resolver(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


class AddressPolicy:
    """Public internet addresses, plus the networks listed in `allow` (NEWS_FETCH_ALLOW_PRIVATE)."""

    def __init__(self, allow: Iterable[str] = (), resolver: Resolver = system_resolver) -> None:
        try:
            self.allowed = tuple(ipaddress.ip_network(net, strict=False) for net in allow)
        except ValueError as exc:
            raise ValueError(f"NEWS_FETCH_ALLOW_PRIVATE: {exc}; give networks such as 127.0.0.1/32") from exc
        self.resolver = resolver

    def refusal(self, ip: IPAddress) -> str | None:
        """What kind of forbidden address `ip` is ("a loopback address"…), or None when it is allowed."""
        if ip.is_unspecified:
            return "the unspecified address"
        if ip.is_multicast:
            return "a multicast address"
        kind = _kind(ip)
        if kind is None or any(ip.version == net.version and ip in net for net in self.allowed):
            return None
        return kind

    def resolve(self, host: str, port: int) -> str:
        """The address to connect to for host:port; AddressRefused unless all its addresses are allowed
        (a name with one private answer among public ones is refused: we do not pick and hope)."""
        try:
            literal = ipaddress.ip_address(host.strip("[]"))
        except ValueError:
            literal = None
        if literal is not None:
            candidates = [str(literal)]
        else:
            try:
                candidates = self.resolver(host, port)
            except (OSError, UnicodeError) as exc:
                raise AddressRefused(f"cannot resolve host {host}: {exc}") from exc
        if not candidates:
            raise AddressRefused(f"host {host} has no address")
        for candidate in candidates:
            kind = self.refusal(ipaddress.ip_address(candidate))
            if kind:
                where = f"{candidate} is" if literal is not None else f"{host} resolves to {candidate},"
                raise AddressRefused(f"refused: {where} {kind}; {_HINT}")
        return candidates[0]


class GuardedBackend(httpcore.NetworkBackend):
    """httpcore network backend that resolves and checks every host before connecting to it."""

    def __init__(self, policy: AddressPolicy, inner: httpcore.NetworkBackend | None = None) -> None:
        self.policy = policy
        self.inner = inner or httpcore.SyncBackend()

    def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Sequence[Any] | None = None,
    ) -> httpcore.NetworkStream:
        address = self.policy.resolve(host, port)
        stream = self.inner.connect_tcp(address, port, remaining(timeout), local_address, socket_options)
        return DeadlineStream(stream)

    def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Sequence[Any] | None = None
    ) -> httpcore.NetworkStream:
        raise AddressRefused("unix sockets are never used for fetching")

    def sleep(self, seconds: float) -> None:
        self.inner.sleep(seconds)
