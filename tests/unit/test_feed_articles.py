"""Documents made for feed entries become articles: the page first, then the entry's content, then its
summary; the feed's headline, date and author win over the page's."""

from __future__ import annotations

from datetime import datetime

from pipelines.core.articles import CleanArticle, DocumentIn, Rejection, build_article
from pipelines.core.extract import html_fragment_text
from pipelines.core.feed_entry import FEED_ENTRY, FeedEntry
from pipelines.core.formats import HTML
from tests.feed_fixtures import article_page

NOW = datetime(2024, 5, 1)
ENTRY = FeedEntry(
    key="guid-1",
    link="https://news.example/world/story?utm_source=rss",
    title="Feed headline",
    published="2024-04-30T08:00:00+00:00",
    author="Feed Author",
    summary="<p>The summary of the story, in the feed.</p>",
    summary_type="text/html",
    content="<p>The full text of the story.</p><p>It goes on for a second paragraph.</p>",
    content_type="text/html",
)


def _doc(raw: bytes, content_type: str, entry: FeedEntry | None = ENTRY, uri: str = "https://news.example/world/story"):
    return DocumentIn(
        document_id="d1",
        batch_key="feeds-03",
        uri=uri,
        locator=None,
        content_type=content_type,
        raw=raw,
        fetched_at=NOW,
        source_kind="feed",
        entry=entry.to_json() if entry else None,
    )


def _article(doc: DocumentIn) -> dict:
    built = build_article(doc, NOW)
    assert isinstance(built, CleanArticle), built
    return built.row


def test_the_page_is_the_text_and_the_feed_gives_headline_date_author() -> None:
    row = _article(_doc(article_page("/world/story"), HTML))
    assert row["text_source"] == "page" and "officials confirmed the news" in row["text"]
    assert (row["title"], row["byline"], row["published_at"]) == (
        "Feed headline",
        "Feed Author",
        datetime(2024, 4, 30, 8),
    )
    assert row["url"] == "https://news.example/world/story"
    assert row["canonical_url"] == "https://news.example/world/story" and row["site_name"] == "Local News"


def test_a_page_without_article_text_falls_back_to_the_entry_content() -> None:
    row = _article(_doc(b"<html><body><script>app()</script></body></html>", HTML))
    assert row["text_source"] == "entry_content"
    assert row["text"] == "The full text of the story.\n\nIt goes on for a second paragraph."


def test_entry_only_documents_use_content_then_summary() -> None:
    entry_doc = _doc(ENTRY.to_json().encode(), FEED_ENTRY, entry=ENTRY, uri="https://news.example/feed.xml")
    row = _article(entry_doc)
    assert row["text_source"] == "entry_content"
    assert row["url"] == ENTRY.link and row["canonical_url"] == "https://news.example/world/story"
    summary_only = FeedEntry(key="k", link=ENTRY.link, title="T", summary="Just a summary line of the story.")
    row = _article(_doc(summary_only.to_json().encode(), FEED_ENTRY, entry=summary_only))
    assert (row["text_source"], row["text"]) == ("entry_summary", "Just a summary line of the story.")


def test_an_entry_with_no_text_anywhere_is_rejected_with_a_reason() -> None:
    bare = FeedEntry(key="k", link="https://news.example/gone", title="Only a title")
    rejected = build_article(_doc(bare.to_json().encode(), FEED_ENTRY, entry=bare), NOW)
    assert isinstance(rejected, Rejection) and rejected.stage == "extract"
    assert "neither content nor summary" in rejected.reason


def test_damaged_entry_json_is_a_parse_reject() -> None:
    doc = DocumentIn("d2", "feeds-01", "https://x.example/feed", "entry 1", FEED_ENTRY, b"{not json", NOW, "feed")
    rejected = build_article(doc, NOW)
    assert isinstance(rejected, Rejection) and rejected.stage == "parse" and "not valid JSON" in rejected.reason


def test_page_sources_keep_their_url_and_unsupported_types_are_named() -> None:
    page = DocumentIn("d3", "feeds-02", "https://news.example/p", None, HTML, article_page("/p"), NOW, "page")
    row = _article(page)
    assert (row["text_source"], row["canonical_url"]) == ("page", "https://news.example/p")
    pdf = DocumentIn("d4", "feeds-02", "https://news.example/r.pdf", None, "application/pdf", b"%PDF-1.4", NOW, "page")
    rejected = build_article(pdf, NOW)
    assert rejected.stage == "parse" and "unsupported content type 'application/pdf'" in rejected.reason


def test_html_fragment_text_keeps_every_word_and_paragraphs() -> None:
    html = "<div><p>One <a href='#'>link</a></p><ul><li>two</li><li>three</li></ul>four<br>five<script>x</script></div>"
    assert html_fragment_text(html) == "One link\n\ntwo\n\nthree\n\nfour\nfive"
    assert html_fragment_text("a &lt; b &amp; c") == "a < b & c"
    assert html_fragment_text("<p></p>") == ""
