import contextlib
import json

import pytest

from pipelines.core.decode import DecodeError
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


def _page(body: str, head: str = "") -> str:
    paragraph = f"<p>{body}</p>"
    return f"<html><head>{head}<title>T</title></head><body><article>{paragraph * 3}</article></body></html>"


CAFE = "Café crème et croissants au beurre pour le petit déjeuner, servis chaque matin au comptoir."


def test_a_meta_charset_that_lies_does_not_make_mojibake() -> None:
    """Issue 22.6: a UTF-8 page declaring windows-1251 was stored as "CafГ© crГЁme"."""
    data = _page(CAFE, '<meta charset="windows-1251">').encode("utf-8")
    draft = parse_document(data, HTML)
    assert CAFE in draft.text and draft.encoding == "utf-8"


def test_a_utf16_meta_on_an_ascii_compatible_page_is_read_as_utf8() -> None:
    """Issue 22.6: a page whose <meta> says utf-16 (readable as ASCII, so it is not UTF-16) was rejected
    when its length was even, decoded as UTF-16 into nonsense."""
    data = _page(CAFE, '<meta charset="utf-16">').encode("utf-8")
    data += b" " * (len(data) % 2)
    draft = parse_document(data, HTML)
    assert CAFE in draft.text


def test_the_servers_charset_comes_before_detection_and_the_meta() -> None:
    russian = "Правительство России объявило о новых мерах поддержки экономики и промышленности."
    data = _page(russian, '<meta charset="windows-1252">').encode("koi8-r")
    assert russian in parse_document(data, HTML, charset="koi8-r").text
    with contextlib.suppress(DecodeError):  # without it the <meta>'s cp1252 (mojibake) is passed over
        assert russian in parse_document(data, HTML).text  # detected, or refused


@pytest.mark.parametrize(
    ("text", "encoding"),
    [
        ("東京で首相が記者会見を開き、新しい方針を説明した。日本政府は今日、経済対策を発表した。", "shift_jis"),
        ("中国政府今天宣布了一项新的经济政策。这是一个重要的决定，专家们表示欢迎。", "gb18030"),
        ("Η ελληνική κυβέρνηση ανακοίνωσε σήμερα νέα οικονομικά μέτρα για τις επιχειρήσεις.", "iso-8859-7"),
    ],
)
def test_legacy_pages_beyond_cp1252_and_cp1251_are_detected(text: str, encoding: str) -> None:
    """Issue 20.5: pages in legacy encodings other than cp1252/cp1251, undeclared, were rejected."""
    draft = parse_document(_page(text).encode(encoding), HTML)
    assert text in draft.text
