from datetime import datetime

from pipelines.core import minhash
from pipelines.core.articles import CleanArticle, DocumentIn, build_article
from pipelines.core.ids import text_fingerprint
from pipelines.core.near_duplicates import (
    Candidate,
    Member,
    Probe,
    group_id_for,
    link_articles,
    standings,
)
from pipelines.core.settings import DEFAULT_DEDUPE_THRESHOLD
from tests.conftest import seed_text

T = DEFAULT_DEDUPE_THRESHOLD
WIRE = " ".join(
    f"Sentence {i} of the wire story says that officials in the capital met on day {i} to discuss the plan."
    for i in range(30)
)
TRIMMED = WIRE.rsplit("Sentence 27", 1)[0]  # the last three sentences dropped
OTHER = " ".join(f"Paragraph {i}: the football club announced a new manager for season {i}." for i in range(30))


def probe(article_id: str, text: str) -> Probe:
    return Probe(article_id, text_fingerprint(text), minhash.signature(text))


def stored(probe_id: str, p: Probe, group: str) -> Candidate:
    return Candidate(probe_id, p.article_id, p.text_hash, p.signature, group)


def test_copies_inside_one_batch_join_the_first() -> None:
    links = link_articles([probe("a", WIRE), probe("b", OTHER), probe("c", TRIMMED), probe("d", WIRE.upper())], [], T)
    groups = {link.article_id: link.dup_group_id for link in links}
    assert groups["a"] == groups["c"] == groups["d"] != groups["b"]
    assert [link.founded for link in links] == [True, True, False, False]
    assert links[3].matched_article_id == "a" and links[3].matched_similarity == 1.0  # exact copy
    assert links[2].matched_article_id == "a" and T <= links[2].matched_similarity < 1.0
    assert groups["a"] == group_id_for("a", text_fingerprint(WIRE))


def test_stored_candidates_are_verified_and_the_best_group_wins() -> None:
    wire, other = probe("a", WIRE), probe("b", OTHER)
    new = probe("c", TRIMMED)
    links = link_articles([new], [stored("c", other, "G-other"), stored("c", wire, "G-wire")], T)
    assert (links[0].dup_group_id, links[0].matched_article_id) == ("G-wire", "a")
    # A candidate that shares a band but not enough text is rejected: the article founds its own group.
    lonely = link_articles([probe("d", OTHER)], [stored("d", wire, "G-wire")], T)
    assert lonely[0].founded and lonely[0].dup_group_id == group_id_for("d", text_fingerprint(OTHER))


def test_groups_never_merge_through_a_bridge() -> None:
    # A roundup holding most of two stories resembles both; it joins the closer one and both groups stay.
    half = WIRE[: len(WIRE) * 3 // 4] + " " + OTHER[: len(OTHER) // 4]
    wire, other = probe("a", WIRE), probe("b", OTHER)
    links = link_articles([probe("r", half)], [stored("r", wire, "G1"), stored("r", other, "G2")], T)
    assert links[0].dup_group_id == "G1"


def test_a_probe_only_sees_earlier_probes() -> None:
    links = link_articles([probe("late", TRIMMED), probe("early", WIRE)], [], T)
    assert links[0].founded and links[1].matched_article_id == "late"


def _member(article_id: str, text: str, published: datetime | None, seen: datetime) -> Member:
    return Member(article_id, text_fingerprint(text), minhash.signature(text), published, seen)


def test_canonical_is_earliest_published_then_first_seen() -> None:
    day = datetime(2020, 12, 29)
    members = [
        _member("copy", TRIMMED, datetime(2020, 12, 30), datetime(2021, 1, 1)),
        _member("undated", WIRE, None, datetime(2020, 1, 1)),
        _member("orig", WIRE.lower(), day, datetime(2021, 1, 5)),
    ]
    places = {p.article_id: p for p in standings(members)}
    assert {p.canonical_article_id for p in places.values()} == {"orig"}
    assert places["orig"].dup_method == "canonical" and places["orig"].similarity_to_canonical == 1.0
    assert places["undated"].dup_method == "exact" and places["undated"].similarity_to_canonical == 1.0
    assert places["copy"].dup_method == "near" and T <= places["copy"].similarity_to_canonical < 1.0
    # Same date: the first seen wins; no date at all: the first seen wins too.
    tie = [_member("b", WIRE, day, datetime(2021, 1, 2)), _member("a", TRIMMED, day, datetime(2021, 1, 3))]
    assert standings(tie)[0].canonical_article_id == "b"
    undated = [_member("x", WIRE, None, datetime(2021, 1, 2)), _member("y", TRIMMED, None, datetime(2021, 1, 1))]
    assert standings(undated)[0].canonical_article_id == "y"


def test_ain_issa_seed_reports_are_not_near_duplicates() -> None:
    """Seeds 000 and 001 tell the same happening (Russian military police sent to Ain Issa) in two
    outlets' words: one story later, two reports now."""
    now = datetime(2026, 1, 1)
    arts = []
    for name in ("000", "001"):
        doc = DocumentIn(name, "seeds-00", f"seeds/{name}.txt", None, "text/plain", seed_text(name).encode(), now)
        art = build_article(doc, now)
        assert isinstance(art, CleanArticle)
        arts.append(Probe(name, art.text_hash, minhash.signature(str(art.row["text"]))))
    assert minhash.similarity(arts[0].signature, arts[1].signature[None, :])[0] < T / 2
    links = link_articles(arts, [], T)
    assert links[0].dup_group_id != links[1].dup_group_id
