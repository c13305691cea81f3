"""The cleaner on the five seeds (the issue's expectations) and on one case per rule."""

from datetime import datetime

import pytest

from pipelines.core.clean import CleanError, clean_text
from tests.conftest import seed_text

NOW = datetime(2026, 11, 21)


def test_seed_000_headline_once_standfirst_and_section_label() -> None:
    c = clean_text(seed_text("000"), now=NOW)
    assert c.title == "Russia announced the sending of additional forces to the Syrian region of Ain Isa"
    assert c.title_source == "first_line"
    assert c.standfirst == "Clashes between Kurdish and Turkish-backed groups in the area"
    assert c.published_at is None  # "on Sunday" is not a publication date, and never today's date
    assert "Ain Isa" not in c.text.split("\n\n")[0][:20]
    assert c.text.startswith("Russia on Sunday said it has deployed additional military police")
    assert "World news" not in c.text
    assert c.text.count("Russia announced the sending") == 0
    assert ("section_label", "World news") in c.removed
    # Paragraphs are separated by a blank line, never glued together.
    assert "Ain Isa.\n\nRussia" not in c.text and all(p.strip() for p in c.text.split("\n\n"))


def test_seed_001_furniture_and_date() -> None:
    c = clean_text(seed_text("001"), now=NOW)
    assert c.title == "Russia sends reinforcements to northeast Syria following deadly Turkish-Kurdish clashes"
    assert (
        c.standfirst
        == "It follows clashes between Turkish-backed Syrian fighters and Kurdish militias in northern Syria."
    )
    assert c.published_at == datetime(2020, 12, 29)
    for furniture in ("2 min read", "29 December, 2020", "[Getty-file photo]", "Follow us on Facebook"):
        assert furniture not in c.text
    assert c.text.startswith("Russia has sent military police and armoured vehicles")
    assert c.text.endswith("along with Iran.")


def test_seed_002_dateline_and_block_lines() -> None:
    c = clean_text(seed_text("002"), now=NOW)
    assert c.title == "Kremlin asks Turkey: Help stop attacks on Syria, Russian forces in Idlib"
    assert c.standfirst.startswith("Moscow's relations with Turkey have come under strain")
    assert (c.dateline, c.agency) == ("Moscow", "Reuters")
    assert c.text.startswith("The Kremlin said on Tuesday")
    assert "block" not in c.text.split("\n\n")
    assert "Reuters, Moscow" not in c.text
    assert c.text.count("Moscow's relations with Turkey have come under strain") == 0  # standfirst kept apart


def test_seed_003_comment_and_bot_prompts() -> None:
    c = clean_text(seed_text("003"), now=NOW)
    assert c.title == "Russia and USA are very close to each other in Syria"
    assert c.standfirst == "Both sides claim provocation"
    assert "Leave a comment" not in c.text
    assert "Confirm that you are not a bot" not in c.text
    assert c.text.endswith("directed only against ISIL.")


def test_seed_004_has_no_headline_line() -> None:
    c = clean_text(seed_text("004"), now=NOW)
    assert c.title_source == "first_sentence"
    assert c.title.startswith("The Kremlin press service said Tuesday evening that Russian President Vladimir Putin")
    assert c.text.startswith("The Kremlin press service said Tuesday evening")  # the paragraph stays in the body
    assert c.standfirst is None


def test_a_title_taken_from_a_run_on_first_sentence_is_cut() -> None:
    """Text without sentence ends (a 400,000-word JSONL line) once became its own title."""
    c = clean_text("word " * 5000, now=NOW)
    assert c.title_source == "first_sentence"
    assert c.title == " ".join(["word"] * 80) + "…"
    assert c.text.count("word") == 5000


@pytest.mark.parametrize(
    ("line", "rule"),
    [
        ("5 min read", "read_time"),
        ("Follow us on Facebook, Twitter and Instagram", "social_follow"),
        ("Share this article", "share_prompt"),
        ("Leave a comment", "comment_prompt"),
        ("12 comments", "comment_prompt"),
        ("Confirm that you are not a bot - select a man with raised hand:", "bot_check"),
        ("block", "placeholder_block"),
        ("Advertisement", "placeholder_block"),
        ("Troops near the border [AFP photo]", "photo_caption"),
        ("Sign up for our daily newsletter", "newsletter_prompt"),
    ],
)
def test_furniture_rules(line: str, rule: str) -> None:
    text = f"Headline here\n\nFirst paragraph of the story, long enough to be a body.\n\n{line}\n\nLast paragraph."
    c = clean_text(text, now=NOW)
    assert (rule, line) in c.removed
    assert line not in c.text


def test_furniture_words_inside_prose_stay() -> None:
    text = "Headline\n\nOfficials said the block of flats was evacuated.\n\nWorld news agencies reported the fire."
    c = clean_text(text, now=NOW)
    assert "Officials said the block of flats was evacuated." in c.text
    assert "World news agencies reported the fire." in c.text


def test_related_links_tail_is_cut_but_prose_after_a_label_is_not() -> None:
    tail = "Related stories\n\nTurkey warns Syria\n\nRussia sends police"
    c = clean_text(f"Headline\n\nThe story body is here and it is long enough.\n\n{tail}", now=NOW)
    assert c.text == "The story body is here and it is long enough."
    prose = (
        "Related stories\n\nThis paragraph is real prose that goes on for a while and is definitely part of the "
        "article body because it has more than twenty words in a single line of text."
    )
    c = clean_text(f"Headline\n\nBody first paragraph.\n\n{prose}", now=NOW)
    assert "definitely part of the article body" in c.text


def test_inline_dateline() -> None:
    c = clean_text("Headline\n\nMOSCOW (Reuters) - The Kremlin said on Tuesday that talks would go on.", now=NOW)
    assert (c.dateline, c.agency) == ("MOSCOW", "Reuters")
    assert c.text == "The Kremlin said on Tuesday that talks would go on."


def test_given_title_is_not_repeated() -> None:
    c = clean_text("Page title\n\nBody of the page goes here.", title="Page title", now=NOW)
    assert c.title == "Page title" and c.title_source == "given"
    assert c.text == "Body of the page goes here."


def test_headline_only_is_rejected() -> None:
    with pytest.raises(CleanError, match="only a headline"):
        clean_text("Just a headline\n\nJust a headline\n\n2 min read", now=NOW)


def test_a_lone_short_line_under_the_headline_is_the_body_not_a_standfirst() -> None:
    c = clean_text("Quoted 'headline'\n\nA body without a full stop", now=NOW)
    assert c.standfirst is None and c.text == "A body without a full stop"
