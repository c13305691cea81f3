import json
from datetime import datetime

from pipelines.core.articles import CleanArticle, DocumentIn, Existing, Rejection, build_article, resolve_identities
from tests.conftest import seed_text

NOW = datetime(2026, 11, 21)


def _doc(raw: bytes, uri: str = "seeds/a.txt", content_type: str = "text/plain", doc_id: str = "d1") -> DocumentIn:
    return DocumentIn(doc_id, "seeds-00", uri, None, content_type, raw, NOW)


def test_seed_article_row() -> None:
    art = build_article(_doc(seed_text("001").encode()), NOW)
    assert isinstance(art, CleanArticle)
    row = art.row
    assert row["published_at"] == datetime(2020, 12, 29) and row["published_source"] == "date_line"
    assert row["language"] == "en" and row["language_score"] > 0.9
    assert row["word_count"] > 350 and row["encoding"] == "utf-8"
    assert art.identity_key == "seed_folder:seeds/a.txt"


def test_rejection_stages() -> None:
    assert build_article(_doc(b"\x89PNG\r\n\x1a\n...."), NOW).stage == "decode"
    assert build_article(_doc(b'{"title": 1', content_type="application/x-ndjson"), NOW).stage == "parse"
    assert build_article(_doc(b"<html><body></body></html>", content_type="text/html"), NOW).stage == "extract"
    rejected = build_article(_doc(b"Only a headline\n"), NOW)
    assert isinstance(rejected, Rejection) and rejected.stage == "clean"


def _art(article_id: str, text_hash: str, doc: str) -> CleanArticle:
    return CleanArticle(doc, article_id, f"key-{article_id}", text_hash, {})


def test_identity_resolution() -> None:
    old = datetime(2020, 1, 1)
    existing = [Existing("A", "h1", old)]
    decisions = resolve_identities(
        [
            _art("A", "h1", "d1"),  # same file, same text
            _art("B", "h1", "d2"),  # other file, same text as A
            _art("C", "h3", "d3"),  # new
            _art("C", "h3", "d4"),  # second copy inside the batch
            _art("A", "h9", "d5"),  # A edited
            _art("D", "h1", "d6"),  # A's old text no longer belongs to A
        ],
        existing,
        NOW,
    )
    assert [(d.article_id, d.relation) for d in decisions] == [
        ("A", "same_source"),
        ("A", "same_text"),
        ("C", "new"),
        ("C", "same_source"),
        ("A", "updated"),
        ("D", "new"),
    ]
    assert decisions[4].first_seen_at == old  # an edit keeps the article's first-seen time


def test_a_date_without_a_time_stays_a_date() -> None:
    """Issue 20.3: date-only metadata was stored as midnight UTC with nothing to say nobody wrote that time."""

    def row(raw: bytes, content_type: str = "text/plain") -> dict[str, object]:
        art = build_article(_doc(raw, content_type=content_type), NOW)
        assert isinstance(art, CleanArticle)
        return art.row

    body = "The council met on Tuesday and voted for the harbour budget after a long debate."
    seed = row(seed_text("001").encode())  # "29 December, 2020" on a line of its own
    assert (seed["published_at"], seed["published_precision"]) == (datetime(2020, 12, 29), "day")
    timed = row(f"Budget passed\n\nTuesday 3 March 2020 10:32 GMT\n\n{body}".encode())
    assert (timed["published_at"], timed["published_precision"]) == (datetime(2020, 3, 3, 10, 32), "time")
    for published, precision in (("2020-01-02", "day"), ("2020-01-02T08:15:00Z", "time")):
        line = json.dumps({"title": "Budget passed", "text": body, "published": published}).encode()
        assert row(line, "application/x-ndjson")["published_precision"] == precision
    markdown = f"---\ntitle: Budget passed\ndate: 2021-05-04\n---\n{body}\n".encode()
    assert row(markdown, "text/markdown")["published_precision"] == "day"
    assert row(f"Budget passed\n\n{body}".encode())["published_precision"] is None  # no date, no precision
