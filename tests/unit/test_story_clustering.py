"""Online story clustering on hand-made feature vectors: joins, splits, time window, determinism."""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from pipelines.core.nlp.model import load_pipeline
from pipelines.core.stories import clustering
from pipelines.core.stories.clustering import ClusterConfig, Clusterer, Vocabulary, story_id_for
from pipelines.core.stories.features import (
    ArticleFeatures,
    EventFacts,
    event_keys,
    lead_terms,
    named_entities,
    term_weights,
    title_terms,
)

SEEN = datetime(2024, 1, 1)
QUAKE = {"earthquake": 2.0, "magnitude": 1.0, "chile": 1.5, "tsunami": 1.0, "kill": 1.0, "coast": 1.0}
QUAKE_2 = {"earthquake": 2.0, "magnitude": 1.0, "chile": 1.0, "tsunami": 1.5, "warning": 1.0, "coast": 1.0}
RESCUE = {"sailor": 2.0, "rescue": 2.0, "coast": 1.0, "guard": 1.0, "yacht": 1.5, "storm": 1.0}
ELECTION = {"election": 2.0, "vote": 1.5, "parliament": 1.0, "ballot": 1.0, "turnout": 1.0}


def article(key: str, terms: dict, entities=(), published: datetime | None = None, seen: datetime = SEEN):
    return ArticleFeatures(key, key, dict(terms), frozenset(entities), published, seen)


def assign(articles, **config) -> dict[str, str]:
    clusterer = Clusterer([], Vocabulary(), ClusterConfig(**config))
    return {a.article_id: a.story_id for a in clusterer.assign(articles)}


def test_same_happening_joins_and_others_open_their_own_story() -> None:
    stories = assign(
        [
            article("a", QUAKE, {"chile"}),
            article("b", QUAKE_2, {"chile"}),
            article("c", RESCUE, {"coast guard"}),
            article("d", ELECTION),
        ]
    )
    assert stories["a"] == stories["b"] == story_id_for("a")
    assert len({stories["a"], stories["c"], stories["d"]}) == 3


def test_order_within_a_batch_and_reruns_do_not_change_the_result() -> None:
    batch = [article(f"{name}{i}", terms) for i in range(3) for name, terms in (("q", QUAKE), ("r", RESCUE))]
    first = assign(batch)
    shuffled = batch[:]
    random.Random(7).shuffle(shuffled)
    assert assign(shuffled) == first == assign(batch)


def test_stated_dates_outside_the_window_keep_identical_texts_apart() -> None:
    early = article("early", QUAKE, published=datetime(2010, 2, 27))
    late = article("late", QUAKE, published=datetime(2014, 4, 1))
    near = article("near", QUAKE, published=datetime(2010, 3, 10))
    stories = assign([early, late, near])
    assert stories["early"] == stories["near"] != stories["late"]
    assert len(set(assign([early, late, near], use_time=False).values())) == 1


def test_undated_articles_are_compared_by_when_the_pipeline_saw_them() -> None:
    old = article("old", QUAKE, seen=SEEN)
    recent = article("recent", QUAKE, seen=SEEN + timedelta(days=200))
    assert len(set(assign([old, recent]).values())) == 2
    assert len(set(assign([old, article("soon", QUAKE, seen=SEEN + timedelta(days=2))]).values())) == 1


def test_entities_tip_a_borderline_article_into_the_story() -> None:
    base = article("base", {"talk": 1.0, "minister": 1.0, "sochi": 2.0, "clash": 1.0}, {"lavrov", "cavusoglu"})
    other = article("other", {"meeting": 1.0, "minister": 1.0, "sochi": 0.5, "border": 1.0, "tuesday": 1.0})
    assert len(set(assign([base, other]).values())) == 2
    linked = article("linked", other.terms, {"lavrov", "cavusoglu"})
    assert len(set(assign([base, linked], entity_weight=1.0).values())) == 1


def test_later_batches_join_stories_kept_from_earlier_ones() -> None:
    vocabulary = Vocabulary()
    first = Clusterer([], vocabulary)
    opened = first.assign([article("a", QUAKE), article("r", RESCUE)])
    kept = list(first.stories.values())
    second = Clusterer(kept, vocabulary).assign([article("b", QUAKE_2)])
    assert second[0].story_id == opened[0].story_id and not second[0].opened
    assert second[0].similarity is not None and opened[0].similarity is None
    assert vocabulary.articles == 3


def test_story_keeps_counts_dates_top_entities_and_a_bounded_centroid(monkeypatch) -> None:
    monkeypatch.setattr(clustering, "CENTROID_TERMS", 5)
    clusterer = Clusterer([], Vocabulary(), ClusterConfig(use_time=False))
    clusterer.assign(
        [
            article("a", QUAKE, {"chile", "usgs"}, published=datetime(2010, 2, 27)),
            article("b", QUAKE_2, {"chile"}, published=datetime(2010, 2, 28)),
        ]
    )
    (story,) = clusterer.stories.values()
    assert story.article_count == 2 and story.title == "a"
    assert (story.first_published, story.last_published) == (datetime(2010, 2, 27), datetime(2010, 2, 28))
    assert story.top_entities() == ["chile", "usgs"] and len(story.centroid) == 5


def test_features_use_lemmas_of_the_lead_and_weight_the_title() -> None:
    doc = load_pipeline()("Russia sent troops. Russia is sending more troops to the border.")
    assert lead_terms(doc)[:3] == ["russia", "send", "troop"]
    assert lead_terms(doc, words=2) == ["russia", "send"]
    assert title_terms("Russia sends reinforcements") == ["russia", "send", "reinforcement"]
    weights = term_weights("Russia sends reinforcements", doc)
    assert weights["reinforcement"] == 1.5 and weights["send"] > weights["border"]
    assert "reinforcement" not in term_weights(None, doc)  # a first-sentence title is not counted twice
    assert named_entities(doc) == {"russia"}


def test_an_article_left_alone_in_its_batch_takes_a_second_look() -> None:
    """b arrives before c, the report that ties it to a's story: alone after the pass, it joins a's story,
    which its own story (never stored) leaves no trace of; a later batch of one article is unchanged."""
    a = article("a", dict.fromkeys(("chile", "rescue", "tremor"), 1.0))
    b = article("b", dict.fromkeys(("coast", "quake", "rescue"), 1.0))
    c = article("c", dict.fromkeys(("chile", "coast", "quake", "rescue", "tremor"), 1.0))
    clusterer = Clusterer([], Vocabulary())
    assignments = {x.article_id: x for x in clusterer.assign([a, b, c])}
    assert assignments["b"].story_id == assignments["a"].story_id == story_id_for("a")
    assert not assignments["b"].opened and assignments["b"].similarity >= clustering.THRESHOLD
    assert set(clusterer.stories) == {story_id_for("a")} and clusterer.stories[story_id_for("a")].article_count == 3
    assert len(set(assign([a, b]).values())) == 2  # without c, nothing ties them


def test_figures_are_terms_and_dates_are_not() -> None:
    doc = load_pipeline()("T-Mobile will sell the BlackBerry Curve 8900 from February 11, a 4.4 inch phone.")
    terms = lead_terms(doc)
    assert "#8900" in terms and "#4.4" in terms
    assert not any(t.startswith("#") and "11" in t for t in terms)


def test_event_keys_anchor_a_type_to_a_place_a_day_or_a_pair() -> None:
    day = date(2019, 10, 14)
    keys = event_keys(
        [
            EventFacts("ASSAULT", actor="ru", place="idlib", day=day),
            EventFacts("ACCUSE", actor="tr", recipient="ru"),
            EventFacts("MOBILIZE", actor="ru"),  # one participant: said of every happening of a topic
            EventFacts("AGREE"),
        ]
    )
    assert keys == {
        "ASSAULT|place:idlib",
        "ASSAULT|day:2019-10-14",
        "ASSAULT|place:idlib|day:2019-10-14",
        "ACCUSE|actor:tr|recipient:ru",
    }


def test_shared_events_tip_a_borderline_report_into_its_story() -> None:
    strike = frozenset({"ASSAULT|place:idlib|day:2019-10-14", "ASSAULT|place:idlib"})
    base = article("base", {"strike": 1.0, "town": 1.0, "civilian": 1.0, "jet": 1.0})
    other = article("other", {"raid": 1.0, "town": 1.0, "market": 1.0, "death": 1.0, "toll": 1.0})
    assert len(set(assign([base, other]).values())) == 2
    with_events = [
        ArticleFeatures(a.article_id, a.title, a.terms, a.entities, None, SEEN, events=strike) for a in (base, other)
    ]
    assert len(set(assign(with_events, event_weight=0.4).values())) == 1
