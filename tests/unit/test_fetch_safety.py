"""Address policy and bounded bodies, without any network."""

from __future__ import annotations

import gzip
import ipaddress
import zlib

import pytest

from pipelines.core.fetch.addresses import AddressPolicy, AddressRefused, check_url
from pipelines.core.fetch.body import BodyCorrupt, BodyTooLarge, BoundedBody


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.0.0.8", "a private-network address"),
        ("172.16.5.4", "a private-network address"),
        ("192.168.1.1", "a private-network address"),
        ("169.254.169.254", "a link-local address"),  # cloud metadata
        ("fe80::1", "a link-local address"),
        ("fd00::1", "a private-network address"),
        ("::ffff:127.0.0.1", "a loopback address"),  # IPv4-mapped IPv6
        ("100.64.0.1", "a reserved address"),  # carrier-grade NAT
        ("0.0.0.0", "the unspecified address"),
        ("224.0.0.1", "a multicast address"),
        ("8.8.8.8", None),
        ("2606:4700::1111", None),
    ],
)
def test_only_public_addresses_by_default(address: str, kind: str | None) -> None:
    assert AddressPolicy().refusal(ipaddress.ip_address(address)) == kind


def test_allowed_networks_are_exactly_those_listed() -> None:
    policy = AddressPolicy(["127.0.0.1/32"])
    assert policy.resolve("127.0.0.1", 80) == "127.0.0.1"
    with pytest.raises(AddressRefused, match=r"127\.0\.0\.2 is a loopback address"):
        policy.resolve("127.0.0.2", 80)
    with pytest.raises(AddressRefused, match="the unspecified address"):
        AddressPolicy(["0.0.0.0/0", "::/0"]).resolve("0.0.0.0", 80)
    with pytest.raises(ValueError, match="NEWS_FETCH_ALLOW_PRIVATE"):
        AddressPolicy(["not-a-network"])


def test_every_resolved_address_must_be_allowed() -> None:
    policy = AddressPolicy(resolver=lambda host, port: ["93.184.216.34", "10.0.0.1"])
    with pytest.raises(AddressRefused, match=r"mixed\.example resolves to 10\.0\.0\.1, a private-network address"):
        policy.resolve("mixed.example", 443)
    public = AddressPolicy(resolver=lambda host, port: ["93.184.216.34"])
    assert public.resolve("news.example", 443) == "93.184.216.34"


def test_unresolvable_hosts_are_refused_with_the_reason() -> None:
    def broken(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(AddressRefused, match=r"cannot resolve host nowhere\.example"):
        AddressPolicy(resolver=broken).resolve("nowhere.example", 80)


@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://x/", "data:text/html,hi", "http:///nohost"])
def test_check_url(url: str) -> None:
    with pytest.raises(AddressRefused):
        check_url(url)


def _decode(encoding: str | None, data: bytes, limit: int, chunk: int = 7) -> bytes:
    body = BoundedBody(encoding, limit)
    for i in range(0, len(data), chunk):
        body.feed(data[i : i + chunk])
    return body.finish()


def test_bounded_body_decodes_in_small_chunks() -> None:
    text = b"words " * 500
    assert _decode("gzip", gzip.compress(text), 10_000) == text
    assert _decode("deflate", zlib.compress(text), 10_000, chunk=1) == text
    assert _decode(None, text, len(text)) == text


def test_bounded_body_limits_decoded_size_and_spots_damage() -> None:
    with pytest.raises(BodyTooLarge):
        _decode("gzip", gzip.compress(b"\0" * 1_000_000), 1000, chunk=512)
    with pytest.raises(BodyTooLarge):
        _decode(None, b"x" * 1001, 1000)
    with pytest.raises(BodyCorrupt, match="truncated"):
        _decode("gzip", gzip.compress(b"abc" * 100)[:-12], 10_000)
    with pytest.raises(BodyCorrupt, match="unsupported Content-Encoding 'br'"):
        BoundedBody("br", 10)
