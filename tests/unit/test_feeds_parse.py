"""Feed bytes → entries with feedparser, and the checks in front of it."""

from __future__ import annotations

import time

import pytest

from pipelines.core.sources.feeds import FeedError, parse_feed
from tests.feed_fixtures import Item, atom, billion_laughs, rdf, rss

BASE = "http://news.example/feeds/world.xml"


@pytest.mark.parametrize(("make", "version"), [(rss, "rss20"), (atom, "atom10"), (rdf, "rss10")])
def test_rss_atom_and_rdf(make, version) -> None:
    items = [Item("One & two", "http://news.example/a?utm_source=rss", "id-1", "<p>Summary <b>one</b></p>")]
    parsed = parse_feed(make(items), BASE, "application/xml")
    assert parsed.version == version and parsed.warning is None
    (entry,) = parsed.entries
    assert entry.title == "One & two" and entry.link == "http://news.example/a?utm_source=rss"
    assert entry.text() == ("Summary one", "entry_summary")
    if make is not rdf:  # RDF items carry no id or date of their own here
        assert entry.key.endswith("id-1")  # feedparser resolves a relative Atom id against the feed URL
        assert entry.published.startswith(("2003-06-10T04:00:00", "2003-12-13T18:30:02"))


def test_relative_links_are_resolved_against_the_feed_url() -> None:
    items = [Item("Rel", "../news/b", "x"), Item("Abs", "/c", "y"), Item("Broken", "http://[oops/", "z")]
    parsed = parse_feed(rss(items), BASE, "application/rss+xml")
    assert [e.link for e in parsed.entries] == ["http://news.example/news/b", "http://news.example/c", None]


def test_entries_without_http_links_or_ids() -> None:
    body = (
        b'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>'
        b"<entry><title>Tag link</title><id>tag:example.com,2008:1</id><link href='tag:example.com,2008:1'/></entry>"
        b"<entry><title>No id</title><summary>Only words.</summary></entry></feed>"
    )
    first, second = parse_feed(body, BASE).entries
    assert first.link is None and first.key == "tag:example.com,2008:1"
    assert second.key.startswith("sha256:") and second.text() == ("Only words.", "entry_summary")


def test_content_is_preferred_to_summary_and_duplicates_collapse() -> None:
    body = (
        b'<?xml version="1.0"?><rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/">'
        b"<channel><title>t</title><item><title>A</title><link>http://x.example/a</link><guid>1</guid>"
        b"<description>Short.</description><content:encoded><![CDATA[<p>Full text.</p><p>Second.</p>]]>"
        b"</content:encoded></item><item><title>A again</title><guid>1</guid></item></channel></rss>"
    )
    (entry,) = parse_feed(body, BASE).entries
    assert entry.text() == ("Full text.\n\nSecond.", "entry_content") and entry.title == "A"


def test_malformed_but_readable_feed_keeps_entries_with_a_warning() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Fish & Chips</title><item><title>A</title>'
    body += b"<link>http://x.example/a</link></item>"
    parsed = parse_feed(body, BASE, "application/rss+xml")
    assert [e.link for e in parsed.entries] == ["http://x.example/a"]
    assert parsed.warning.startswith("malformed XML")


def test_wrong_content_type_is_a_warning() -> None:
    parsed = parse_feed(rss([Item("A", "http://x.example/a", "1")]), BASE, "text/html; charset=utf-8")
    assert len(parsed.entries) == 1 and "non-feed Content-Type" in parsed.warning


@pytest.mark.parametrize(
    "body",
    [b"", b"   ", b"<html><body><p>Hello</p></body></html>", b"/etc/passwd", b"Not XML at all, just words."],
)
def test_not_a_feed(body: bytes) -> None:
    with pytest.raises(FeedError):
        parse_feed(body, BASE, "text/html")


def test_references_to_invalid_characters_are_a_feed_error_not_a_crash() -> None:
    body = b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><item><title>bad &#55296;</title>'
    with pytest.raises(FeedError, match="unreadable feed"):
        parse_feed(body + b"<link>http://x.example/a</link></item></channel></rss>", BASE)


def test_a_body_naming_a_local_file_is_not_read_from_disk(tmp_path) -> None:
    secret = tmp_path / "feed.xml"
    secret.write_bytes(rss([Item("Secret", "http://x.example/secret", "s")]))
    with pytest.raises(FeedError):  # feedparser given these bytes would open the file
        parse_feed(str(secret).encode(), BASE)


def test_billion_laughs_is_refused_fast() -> None:
    started = time.monotonic()
    with pytest.raises(FeedError, match="billion laughs"):
        parse_feed(billion_laughs(), BASE, "application/rss+xml")
    assert time.monotonic() - started < 1


@pytest.mark.parametrize(
    ("doctype", "reason"),
    [
        ('<!ENTITY xxe SYSTEM "file:///etc/passwd">', "external XML entity"),
        ('<!ENTITY big "' + "x" * 5000 + '">', "5000 characters long"),
        ("".join(f'<!ENTITY e{i} "v">' for i in range(300)), "declares 300 XML entities"),
    ],
)
def test_entity_tricks_are_refused(doctype: str, reason: str) -> None:
    body = f'<?xml version="1.0"?><!DOCTYPE rss [{doctype}]><rss version="2.0"><channel><title>&xxe;</title>'
    with pytest.raises(FeedError, match=reason):
        parse_feed((body + "</channel></rss>").encode(), BASE)


def test_plain_character_entities_are_fine() -> None:
    body = (
        b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY nbsp "&#160;">]><rss version="2.0"><channel><title>t</title>'
        b"<item><title>A&nbsp;B</title><link>http://x.example/a</link></item></channel></rss>"
    )
    assert parse_feed(body, BASE).entries[0].title == "A\xa0B"
