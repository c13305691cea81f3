"""Feeds and pages through the real asset graph, against a site the test serves on 127.0.0.1.

Every case the issue lists ends in entries, a reject with a reason, or a recorded feed error, and the
run succeeds: RSS 2.0, Atom, RDF, relative links, 304 on the second poll, an ETag that changes while the
body does not, 500 then success, a timeout, a truncated body, a wrong Content-Type, a redirect loop, an
oversized body, billion laughs, malformed XML, an HTML page instead of a feed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import dagster as dg
import pytest

from pipelines.core.settings import Settings
from pipelines.core.sources.registry import feed_shard_keys
from pipelines.core.sources.seed_folder import all_shard_keys
from pipelines.core.stages.poll_sources import poll_source_shards
from pipelines.core.storage.embedded import EmbeddedWarehouse
from tests.feed_fixtures import Item, article_page, atom, billion_laughs, rdf, rss
from tests.integration.helpers import materialize_feeds, materialize_range, published_rows
from tests.local_site import LocalSite, Reply, local_fetch_settings

RSS_TYPE = {"Content-Type": "application/rss+xml; charset=utf-8"}

FEEDS = {
    "/rss.xml": "ok",
    "/atom.xml": "ok",
    "/rdf.xml": "ok",
    "/flaky.xml": "ok",
    "/wrongtype.xml": "ok",
    "/malformed.xml": "ok",
    "/down.xml": "HTTP 503 Service Unavailable (2 attempts)",
    "/slow.xml": "timed out after 0.5 s",
    "/truncated.xml": "connection closed before the whole body arrived",
    "/loop.xml": "redirect loop:",
    "/huge.xml": "response larger than 0.2 MiB",
    "/laughs.xml": "billion laughs",
    "/notafeed.html": "not an RSS or Atom feed",
}


def _serve(site: LocalSite) -> None:
    site.fallback = lambda path: (
        Reply(body=article_page(path), headers={"Content-Type": "text/html; charset=utf-8"})
        if path.startswith("/news/")
        else None
    )
    site.serve("/robots.txt", Reply(body=b"User-agent: *\nDisallow: /private/\n"))
    site.serve("/private/secret", Reply(body=article_page("/private/secret")))
    site.serve("/files/report.pdf", Reply(body=b"%PDF-1.4 not html", headers={"Content-Type": "application/pdf"}))
    site.serve("/files/data.bin", Reply(body=bytes(range(256)), headers={"Content-Type": "application/octet-stream"}))
    site.serve(
        "/rss.xml",
        Reply(
            body=rss(
                [
                    Item("Relative link", "/news/rel-one?utm_source=rss&utm_medium=feed", "r1"),
                    Item("Shared story", site.url("/news/shared-story?utm_campaign=x"), "r2"),
                    Item("Private page", site.url("/private/secret"), "r3", "A summary long enough to stand in."),
                    Item("A report", site.url("/files/report.pdf"), "r4", "<p>The report, <b>summarised</b>.</p>"),
                    Item("Gone", site.url("/gone"), "r5"),
                ]
            ),
            headers=RSS_TYPE,
            etag='"rss-v1"',
        ),
    )
    atom_body = atom(
        [Item("Atom one", "/news/atom-one", "a1"), Item("Shared", "/news/shared-story?utm_source=a", "a2")]
    )
    site.serve(
        "/atom.xml",
        Reply(body=atom_body, headers={"Content-Type": "application/atom+xml", "ETag": '"a1"'}),
        Reply(body=atom_body, headers={"Content-Type": "application/atom+xml", "ETag": '"a2"'}),
    )
    site.serve("/rdf.xml", Reply(body=rdf([Item("RDF one", site.url("/news/rdf-one"), "d1")])))
    site.serve("/flaky.xml", Reply(500, b"oops"), Reply(body=rss([Item("Flaky", "/news/flaky-one", "f1")])))
    site.serve("/down.xml", Reply(503, b"busy"))
    site.serve("/slow.xml", Reply(body=rss([]), delay=2.0))
    site.serve("/truncated.xml", Reply(body=rss([Item("Cut", "/news/cut", "c1")]), truncate_to=80))
    site.serve(
        "/wrongtype.xml",
        Reply(body=rss([Item("Wrong type", "/news/wrongtype-one", "w1")]), headers={"Content-Type": "text/html"}),
    )
    site.serve("/loop.xml", Reply(302, headers={"Location": "/loop2.xml"}))
    site.serve("/loop2.xml", Reply(302, headers={"Location": "/loop.xml"}))
    site.serve("/huge.xml", Reply(body=rss([Item("x" * 1000, f"/news/h{i}", f"h{i}") for i in range(300)])))
    site.serve("/laughs.xml", Reply(body=billion_laughs(), headers=RSS_TYPE))
    site.serve(
        "/malformed.xml",
        Reply(
            body=b'<?xml version="1.0"?><rss version="2.0"><channel><title>Fish & Chips</title><item>'
            b"<title>Malformed & fine</title><link>/news/malformed-one</link><guid>m1</guid></item>"
        ),
    )
    site.serve("/notafeed.html", Reply(body=article_page("/notafeed"), headers={"Content-Type": "text/html"}))


def _sources_yaml(site: LocalSite, skip: tuple[str, ...] = ()) -> str:
    feeds = "".join(f"  - url: {site.url(p)}\n    poll_minutes: 1\n" for p in FEEDS if p not in skip)
    pages = f"  - {site.url('/news/page-source')}\n  - url: {site.url('/files/data.bin')}\n    tags: [binary]\n"
    return f"feeds:\n{feeds}pages:\n{pages}"


@pytest.fixture
def feed_settings(tmp_path: Path) -> Settings:
    (tmp_path / "seeds").mkdir()
    return Settings(
        seeds_dir=tmp_path / "seeds",
        warehouse_dir=tmp_path / "warehouse",
        max_document_bytes=256 * 1024,
        sources_file=tmp_path / "sources.yaml",
        fetch=local_fetch_settings(timeout_seconds=0.5, retries=1),
    )


def _checks_pass(result: dg.ExecuteInProcessResult) -> None:
    assert result.success
    checks = result.get_asset_check_evaluations()
    assert checks and all(c.passed for c in checks), [(c.check_name, c.metadata) for c in checks]


def _health(settings: Settings, site: LocalSite) -> dict[str, tuple]:
    rows = published_rows(
        settings, "SELECT url, status, last_error, last_warning, consecutive_failures, http_status FROM sources"
    )
    return {url.removeprefix(site.base): rest for url, *rest in rows}


def test_every_feed_case_ends_in_entries_a_reject_or_a_feed_error(local_site: LocalSite, feed_settings: Settings):
    _serve(local_site)
    feed_settings.sources_file.write_text(_sources_yaml(local_site))
    _checks_pass(materialize_feeds(feed_settings))

    health = _health(feed_settings, local_site)
    for path, expected in FEEDS.items():
        status, error, _, failures, _ = health[path]
        if expected == "ok":
            assert (status, error, failures) == ("ok", None, 0), (path, health[path])
        else:
            assert status == "failing" and failures == 1 and expected in error, (path, health[path])
    assert "non-feed Content-Type (text/html" in health["/wrongtype.xml"][2]
    assert "malformed XML" in health["/malformed.xml"][2]
    assert health["/news/page-source"][0] == "ok"

    articles = dict(
        published_rows(feed_settings, "SELECT canonical_url, text_source FROM articles WHERE canonical_url IS NOT NULL")
    )
    paths = {url.removeprefix(local_site.base): source for url, source in articles.items()}
    assert paths == {
        "/news/rel-one": "page",  # relative link resolved, tracking parameters dropped
        "/news/shared-story": "page",  # in two feeds with different tracking: one article
        "/news/atom-one": "page",
        "/news/rdf-one": "page",
        "/news/flaky-one": "page",
        "/news/wrongtype-one": "page",
        "/news/malformed-one": "page",
        "/news/page-source": "page",
        "/private/secret": "entry_summary",  # robots.txt: the feed's own text instead
        "/files/report.pdf": "entry_summary",  # not HTML
    }
    entries = published_rows(
        feed_settings,
        "SELECT e.page_status, count(*) FROM feed_entries AS e WHERE e.canonical_url LIKE '%/news/shared-story' "
        "GROUP BY ALL ORDER BY 1",
    )
    assert entries == [("fetched", 1), ("known_link", 1)]
    page_errors = dict(
        published_rows(feed_settings, "SELECT title, page_error FROM feed_entries WHERE page_error IS NOT NULL")
    )
    assert "robots.txt disallows it" in page_errors["Private page"]
    assert page_errors["A report"] == "the page is application/pdf, not HTML"
    assert page_errors["Gone"] == "HTTP 404 Not Found"
    assert local_site.hits("/private/secret") == 0

    rejects = published_rows(feed_settings, "SELECT stage, reason, uri FROM rejects ORDER BY stage")
    assert [(stage, uri.removeprefix(local_site.base).split("#")[0]) for stage, _, uri in rejects] == [
        ("extract", "/rss.xml"),  # the "Gone" entry: no page, no text of its own
        ("parse", "/files/data.bin"),  # a page source that is not text
    ]
    assert "neither content nor summary" in rejects[0][1] and "'application/octet-stream'" in rejects[1][1]
    raw = published_rows(feed_settings, "SELECT raw FROM documents WHERE uri LIKE '%/news/rel-one%'")[0][0]
    assert raw == article_page("/news/rel-one?utm_source=rss&utm_medium=feed")  # bytes as received
    snapshot = published_rows(feed_settings, "SELECT document_id FROM documents ORDER BY 1")

    # Second poll: 304, an unchanged body under a new ETag, nothing new; the failing feed fails again.
    _checks_pass(materialize_feeds(feed_settings))
    assert published_rows(feed_settings, "SELECT document_id FROM documents ORDER BY 1") == snapshot
    outcomes = dict(
        published_rows(
            feed_settings,
            "SELECT url, outcome FROM fetches WHERE purpose = 'feed' QUALIFY row_number() OVER "
            "(PARTITION BY url ORDER BY requested_at DESC) = 1",
        )
    )
    assert outcomes[local_site.url("/rss.xml")] == "not_modified"
    assert outcomes[local_site.url("/atom.xml")] == "unchanged"
    assert outcomes[local_site.url("/flaky.xml")] == "unchanged"
    assert local_site.hits("/news/page-source") == 1  # a page without poll_minutes is fetched once
    health = _health(feed_settings, local_site)
    assert (health["/down.xml"][0], health["/down.xml"][3]) == ("failing", 2)
    assert health["/rss.xml"][4] == 304

    # Third run: the twice-failed feed is backed off (not polled), the healthy ones are.
    down_hits, rss_hits = local_site.hits("/down.xml"), local_site.hits("/rss.xml")
    _checks_pass(materialize_feeds(feed_settings))
    assert local_site.hits("/down.xml") == down_hits and local_site.hits("/rss.xml") > rss_hits

    # Removing an entry disables it and keeps its history; adding it back re-enables it (the feed stage
    # alone: the rest of the graph has nothing to do).
    def feed_stage() -> dict[str, tuple]:
        with EmbeddedWarehouse(feed_settings.warehouse_dir).session() as session:
            poll_source_shards(session, feed_settings, feed_shard_keys(), "test")
            rows = session.con.execute("SELECT url, status, enabled FROM sources").fetchall()
            kept = session.con.execute("SELECT count(*) FROM articles WHERE url LIKE '%/news/rdf-one'").fetchone()
        assert kept == (1,)
        return {url.removeprefix(local_site.base): rest for url, *rest in rows}

    feed_settings.sources_file.write_text(_sources_yaml(local_site, skip=("/rdf.xml",)))
    assert feed_stage()["/rdf.xml"] == ["removed", False]
    feed_settings.sources_file.write_text("feeds: [")  # a typo: nothing is disabled, the run goes on
    assert feed_stage()["/rss.xml"] == ["ok", True]
    feed_settings.sources_file.write_text(_sources_yaml(local_site))
    assert feed_stage()["/rdf.xml"] == ["ok", True]


def test_seeds_and_feeds_in_one_run_survive_a_broken_sources_file(settings: Settings, local_site: LocalSite):
    """`make run` with a sources file: one run over seeds-00..feeds-07. A typo in the file warns (a
    failed non-blocking check) and leaves the sources as they were; the seeds load regardless."""
    _serve(local_site)
    sources = settings.seeds_dir.parent / "sources.yaml"
    sources.write_text(f"feeds:\n  - {local_site.url('/rdf.xml')}\n")
    both = replace(settings, sources_file=sources, fetch=local_fetch_settings())
    result = materialize_range(both, all_shard_keys() + feed_shard_keys())
    _checks_pass(result)
    documents = next(e for e in result.get_asset_materialization_events() if e.asset_key == dg.AssetKey("documents"))
    meta = documents.materialization.metadata
    assert meta["new"].value == 5 and meta["feeds new"].value == 1  # seed files, then the feed's one entry

    sources.write_text("feeds:\n  - url: [unclosed\n")
    result = materialize_range(both, all_shard_keys() + feed_shard_keys())
    assert result.success
    readable = next(c for c in result.get_asset_check_evaluations() if c.check_name == "sources_file_readable")
    assert not readable.passed and "not valid YAML" in readable.metadata["problem"].value
    assert published_rows(both, "SELECT status, enabled FROM sources") == [("ok", True)]
    assert published_rows(both, "SELECT count(*) FROM articles") == [(6,)]


def test_entries_sharing_a_page_all_point_to_a_document(local_site: LocalSite, feed_settings: Settings):
    """Links that are one page once #fragments and tracking parameters go: the page is fetched once and
    every such entry, in this feed or another, this poll or a later one, points to its document; when that
    page cannot be used, each entry is its own document with the reason. No entry is left with neither."""
    local_site.fallback = lambda path: (
        Reply(body=article_page(path), headers={"Content-Type": "text/html; charset=utf-8"})
        if path.startswith("/news/")
        else None
    )
    local_site.serve("/gone", Reply(404, b"no"))
    summary = "A summary of the entry that is long enough to stand in for its page."
    first = rss(
        [
            Item("Same A", "/news/same#top", "s1"),
            Item("Same B", "/news/same?utm_source=rss", "s2"),
            Item("Broken A", "/gone#a", "g1", summary),
            Item("Broken B", "/gone?utm_medium=x", "g2", summary),
        ]
    )
    later = rss([Item("Same again", "/news/same#later", "s4")])
    local_site.serve("/one.xml", Reply(body=first, headers=RSS_TYPE), Reply(body=first + b" ", headers=RSS_TYPE))
    local_site.serve("/two.xml", Reply(body=rss([Item("Same C", "/news/same#other", "s3")]), headers=RSS_TYPE))
    local_site.serve("/three.xml", Reply(503, b"later"), Reply(body=later, headers=RSS_TYPE))
    feed_settings.sources_file.write_text(
        "feeds:\n"
        + "".join(
            f"  - url: {local_site.url(p)}\n    poll_minutes: 1\n" for p in ("/one.xml", "/two.xml", "/three.xml")
        )
    )

    def poll() -> dict[str, tuple]:
        with EmbeddedWarehouse(feed_settings.warehouse_dir).session() as session:
            poll_source_shards(session, feed_settings, feed_shard_keys(), "test")
            session.con.execute("UPDATE sources SET next_poll_at = NULL")  # due again at once
            rows = session.con.execute("SELECT title, page_status, document_id, page_error FROM feed_entries")
            return {title: rest for title, *rest in rows.fetchall()}

    poll()
    entries = poll()
    assert local_site.hits("/news/same") == 1 and local_site.hits("/gone") == 1
    same = [entries[title][:2] for title in ("Same A", "Same B", "Same C", "Same again")]
    (page,) = {document for _, document in same}  # whichever feed was read first fetched it
    assert page is not None and sorted(status for status, _ in same) == ["fetched", *["known_link"] * 3]
    assert entries["Broken A"][0] == "entry_only" and entries["Broken A"][2] == "HTTP 404 Not Found"
    assert entries["Broken B"][0] == "entry_only" and "page of another entry" in entries["Broken B"][2]
    assert entries["Broken A"][1] != entries["Broken B"][1]
    assert all(document for _, document, _ in entries.values())


def test_a_page_is_decoded_with_the_charset_its_server_declares(local_site: LocalSite, feed_settings: Settings):
    """Issue 22.6: the HTTP Content-Type charset was dropped, so a KOI8-R page without a <meta> was read as
    cp1251 (plausible-looking Cyrillic, wrong letters). The server's charset is kept with the document."""
    words = "Правительство России объявило о новых мерах поддержки экономики и промышленности."
    page = f"<html><head><title>Новые меры</title></head><body><article><p>{words}</p><p>{words}</p></article>"
    local_site.serve(
        "/news/koi8", Reply(body=page.encode("koi8-r"), headers={"Content-Type": "text/html; charset=KOI8-R"})
    )
    feed_settings.sources_file.write_text(f"pages:\n  - {local_site.url('/news/koi8')}\n")
    from pipelines.core.stages.clean_documents import clean_pending_documents

    with EmbeddedWarehouse(feed_settings.warehouse_dir).session() as session:
        poll_source_shards(session, feed_settings, feed_shard_keys(), "test")
        clean_pending_documents(session, feed_shard_keys(), "test")
        charset = session.con.execute("SELECT declared_charset FROM documents").fetchall()
        text, encoding = session.con.execute("SELECT text, encoding FROM articles").fetchone()
    assert charset == [("koi8-r",)]
    assert words in text and encoding == "koi8-r"
