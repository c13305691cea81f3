"""Headlines as the publisher wrote them (site names and section labels read off the page's metadata),
bylines that are names, and web-page bodies that keep their lede (issue 20, items 2 and 3)."""

from __future__ import annotations

import pytest

from pipelines.core.bylines import clean_byline
from pipelines.core.clean import clean_text
from pipelines.core.extract import MAX_RECALL_LOSS, recall_loss, worth_a_second_look
from pipelines.core.formats import HTML, parse_document
from pipelines.core.titles import clean_title

BODY = "".join(
    f"<p>Paragraph {n}: the council voted on the harbour budget after a long debate about the sea wall.</p>"
    for n in range(5)
)


def _page(title: str, site: str | None, h1: str | None, url: str | None = None) -> bytes:
    meta = f'<meta property="og:site_name" content="{site}">' if site else ""
    meta += f'<link rel="canonical" href="{url}">' if url else ""
    heading = f"<h1>{h1}</h1>" if h1 else ""
    head = f"<head><title>{title}</title>{meta}</head>"
    return f"<html>{head}<body><article>{heading}{BODY}</article></body></html>".encode()


@pytest.mark.parametrize(
    ("title", "site", "h1", "url", "headline"),
    [
        # the site's name at either end, spaced or not, as og:site_name or the page's address gives it
        ("Senate passes the budget | CNN Politics", "CNN Politics", None, None, "Senate passes the budget"),
        (
            "Seoul and Tokyo agree on talks | Yonhap",
            None,
            "Seoul and Tokyo agree on talks",
            None,
            "Seoul and Tokyo agree on talks",
        ),
        ("习近平会见外宾-新华网", "新华网", None, None, "习近平会见外宾"),
        ("LinkNaija | Buhari signs the bill into law", "LinkNaija", None, None, "Buhari signs the bill into law"),
        ("Markets rally on rate cut - TheHill", "The Hill", None, None, "Markets rally on rate cut"),
        ("Floods hit the valley - Sportsnet.ca", None, None, "https://www.sportsnet.ca/x", "Floods hit the valley"),
        # section labels, shown to be furniture by the <h1>
        ("Analysis: The plan is falling apart", "CNN", "The plan is falling apart", None, "The plan is falling apart"),
        (
            "Troops deployed in the capital | World | News | Express.co.uk",
            "Express.co.uk",
            "Troops deployed in the capital",
            None,
            "Troops deployed in the capital",
        ),
        # nothing says these parts are furniture: every word stays
        ("Fact Check: Is the oxygen bar real?", "News Nation", "Fact Check: Is the oxygen bar real?", None, None),
        ("Analysis: The plan is falling apart", "CNN", None, None, None),
        ("Self-driving cars: the road ahead - and the risks", "Wired", None, None, None),
        ("Seoul and Tokyo agree on talks | Yonhap", None, None, None, None),  # nothing says Yonhap is the site
        ("Star Wars review - shoots for the moon", "VG247", "An unrelated heading", None, None),
    ],
)
def test_titles_lose_site_names_and_labels_the_page_itself_marks(
    title: str, site: str | None, h1: str | None, url: str | None, headline: str | None
) -> None:
    draft = parse_document(_page(title, site, h1, url), HTML, url)
    expected = headline or title
    assert draft.title == expected
    assert clean_title(title, site_name=site, url=url, h1s=[h1] if h1 else []) == expected


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Username", None),
        ("Authority control", None),
        ("作者", None),
        ("siteadmin", None),
        ("Jeff Foust Monday; November", "Jeff Foust"),
        ("Detroit News wire services Published", "Detroit News wire services"),
        ("By Jane Doe", "Jane Doe"),
        ("Текст Лида Буслаева", "Лида Буслаева"),
        ("Meg Kinnard; Errin Haines; Associated Press", "Meg Kinnard; Errin Haines; Associated Press"),
        ("May Smith", "May Smith"),
        ("This is a sentence that an extractor took for a byline by mistake today", None),
    ],
)
def test_bylines_are_names(raw: str, names: str | None) -> None:
    assert clean_byline(raw) == names


def test_a_web_pages_body_keeps_the_line_taken_for_a_standfirst() -> None:
    """Issue 20.2: the cleaner moved an extracted page's first paragraph (the lede) into standfirst."""
    text = "Clashes in the north\n\nThe army moved into the town on Sunday after a week of fighting.\n\nMore."
    plain = clean_text(text, title="Army moves in")
    page = clean_text(text, title="Army moves in", extracted=True)
    assert plain.standfirst == page.standfirst == "Clashes in the north"
    assert not plain.text.startswith("Clashes") and page.text.startswith("Clashes in the north\n\nThe army")


def test_the_balanced_extraction_is_tried_only_when_precision_lost_most_of_the_page() -> None:
    """Issue 20.2: favor_precision kept 117 of a page's 1,965 words; the fallback's rule, measured per page."""
    assert worth_a_second_look(117, 1965) and recall_loss(117, 1965) >= MAX_RECALL_LOSS
    assert not worth_a_second_look(600, 1400)  # kept most of it: no second extraction
    assert not worth_a_second_look(20, 120)  # too little at stake to pay for another run
    assert recall_loss(900, 1000) < MAX_RECALL_LOSS  # the balanced run found little more: precision kept
