import json

import pytest

from pipelines.core.extract import ExtractError
from pipelines.core.formats import HTML, JSONL, MARKDOWN, TEXT, ParseError, markdown_to_text, parse_document

PAGE = """<html><head><title>Kremlin asks Turkey to help stop attacks</title>
<meta property="og:site_name" content="Example News">
<meta name="author" content="Jane Doe">
<meta property="article:published_time" content="2020-02-07T10:00:00Z"></head>
<body><nav>Home | World | Sport</nav>
<article><h1>Kremlin asks Turkey to help stop attacks</h1>
<p>The Kremlin said on Tuesday that all attacks on Russian and Syrian government forces in Idlib should stop.</p>
<p>Moscow made its comments after Syrian government forces took control of a highway in northwest Syria.</p>
<p>Turkey and Russia this week held talks in Ankara aimed at trying to dial down confrontations.</p>
</article><footer>Copyright Example News. All rights reserved.</footer></body></html>"""


def test_plain_text_keeps_everything_for_the_cleaner() -> None:
    draft = parse_document(b"Headline\n\nBody.", TEXT)
    assert (draft.text, draft.encoding, draft.title) == ("Headline\n\nBody.", "utf-8", None)


def test_markdown_front_matter_and_markup() -> None:
    md = (
        "---\ntitle: Front title\ndate: 2021-05-04\nurl: https://example.com/a\n---\n"
        "# Front title\n\n**Bold** [link](http://x) text.\n"
    )
    draft = parse_document(md.encode(), MARKDOWN)
    assert draft.title == "Front title" and draft.url == "https://example.com/a"
    assert str(draft.published) == "2021-05-04"
    assert "Bold link text." in draft.text and "**" not in draft.text and "http://x" not in draft.text


def test_markdown_without_front_matter() -> None:
    text, meta = markdown_to_text("# A headline\n\n- item *one*\n\n![img](x.png)Body")
    assert meta == {} and text.splitlines()[0] == "A headline" and "item one" in text and "img" not in text


def test_html_extraction_with_metadata() -> None:
    draft = parse_document(PAGE.encode(), HTML)
    assert draft.title == "Kremlin asks Turkey to help stop attacks"
    assert "all attacks on Russian and Syrian government forces" in draft.text
    assert "Home | World" not in draft.text
    assert draft.site_name == "Example News" and draft.author == "Jane Doe"
    assert str(draft.published).startswith("2020-02-07")


def test_html_without_article_text() -> None:
    with pytest.raises(ExtractError, match="no article text"):
        parse_document(b"<html><body><script>var x = 1;</script></body></html>", HTML)


def test_jsonl_line_with_text_or_html() -> None:
    line = json.dumps(
        {"url": "https://ex.com/a?utm_source=x", "title": "T", "text": "Body here.", "published": "2020-01-02"}
    )
    draft = parse_document(line.encode(), JSONL)
    assert (draft.title, draft.text, draft.published, draft.text_source) == (
        "T",
        "Body here.",
        "2020-01-02",
        "jsonl.text",
    )
    draft = parse_document(json.dumps({"url": "https://ex.com/b", "html": PAGE}).encode(), JSONL)
    assert draft.text_source == "jsonl.html" and "Moscow made its comments" in draft.text


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (b'{"title": "x", "text": "unterminated}', "malformed JSON"),
        (b'["a", "list"]', "expected a JSON object"),
        (b'{"title": "no body"}', "neither a 'text' nor an 'html'"),
    ],
)
def test_jsonl_errors(line: bytes, message: str) -> None:
    with pytest.raises(ParseError, match=message):
        parse_document(line, JSONL)


def _alias_bomb() -> str:
    """The 'billion laughs' of YAML: nine levels of nine aliases, under 600 bytes."""
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for prev, name in zip("abcdefgh", "bcdefghi", strict=True):
        lines.append(f"{name}: &{name} [{', '.join(['*' + prev] * 9)}]")
    return "\n".join(lines)


def test_yaml_alias_bomb_in_front_matter_is_ignored_fast() -> None:
    """Issue 22.5: yaml.safe_load shares the aliased lists, but the first use of the date field (made into
    a string to be parsed) expanded them to 387 million items: 1.3 GB and 18 s for one 520-byte file."""
    import resource
    import time
    from datetime import datetime

    from pipelines.core.articles import CleanArticle, DocumentIn, build_article

    bomb = _alias_bomb()
    assert len(bomb) < 600
    md = f"---\n{bomb}\ntitle: *i\ndate: *i\n---\nA headline\n\nThe body of the article, in one sentence.\n"
    doc = DocumentIn("d1", "seeds-00", "seeds/bomb.md", None, MARKDOWN, md.encode(), datetime(2026, 1, 1))
    build_article(
        DocumentIn(
            "d0",
            "seeds-00",
            "seeds/ok.md",
            None,
            MARKDOWN,
            b"Title\n\nA body long enough for its language.",
            doc.fetched_at,
        )
    )
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    article = build_article(doc)
    assert time.monotonic() - started < 1.0
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50 * 1024  # KiB: under 50 MiB more
    assert isinstance(article, CleanArticle)
    assert article.row["title"] == "A headline" and article.row["published_at"] is None
    rule, reason = json.loads(str(article.row["cleaning"]))[0]
    assert rule == "front_matter_ignored" and "alias" in reason


def test_oversized_front_matter_is_ignored_with_a_reason() -> None:
    md = "---\ntitle: Big\nnotes: |\n" + "  padding line\n" * 2000 + "---\nHeadline\n\nBody text here.\n"
    draft = parse_document(md.encode(), MARKDOWN)
    assert draft.title is None and draft.text.startswith("Headline")
    assert "over" in draft.notes[0][1]
