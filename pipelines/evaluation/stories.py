"""Story clustering quality on ECB+ (NEWS_EVAL_DIR/stories/ecbplus_dev.jsonl, read at run time).

486 news articles in 22 topics; each topic holds two different but similar happenings (two earthquakes,
two rescues of sailors), so same-topic articles are hard negatives. Each article goes through the
pipeline's own cleaner (title, body, publication date from a date line) and model (lemmas, entities);
the clusterer then sees the whole set as one batch, in its usual order. ECB+ ships its text tokenised
("http: / / www…", "7: 35 am"): the adapter drops the URL line and rejoins clock times, nothing else.

Events are coded from each parse by the pipeline's coder, with the article's own entity mentions (the
entity stage's in-article resolution, keyed by canonical key where the warehouse would have entity ids),
and enter the clusterer as event keys (features.event_keys).

Scored with B-cubed precision/recall/F1, twice: with time features (only the articles whose text states a
date have one) and without. Then a held-out check of the settings: the topics are split in two halves;
on each half the best of a small grid of settings (threshold, entity weight, event weight) is chosen and
scored on the other half, next to the shipped settings on that half. What the chosen settings gain over
the shipped ones there is what tuning to this set would buy, and none of it is in the shipped settings.
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import re
import warnings
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from spacy.tokens import Doc

from pipelines.core.clean import CleanError, clean_text
from pipelines.core.events.actors import EntityRef, Participant, linked_lookup
from pipelines.core.events.coder import code_events
from pipelines.core.nlp.article_linking import link_article
from pipelines.core.nlp.model import load_pipeline
from pipelines.core.nlp.parse import deserialize_doc, parse_texts
from pipelines.core.stories.clustering import ClusterConfig, Clusterer, Vocabulary
from pipelines.core.stories.features import (
    ArticleFeatures,
    EventFacts,
    event_keys,
    named_entities,
    term_weights,
)
from pipelines.evaluation import Result
from pipelines.evaluation.scoring import PRF, bcubed, table

ECB_FILE = "ecbplus_dev.jsonl"
_URL_LINE = re.compile(r"^https?: / /")
_SPLIT_TIME = re.compile(r"(\d): (\d\d)\b")
# Every article is "first seen" at the same instant, as in one backfill.
_SEEN = datetime(2000, 1, 1)
# The held-out check's grid: a few settings around the shipped ones, each a principled knob.
_GRID = {"threshold": (0.35, 0.40, 0.45), "entity_weight": (0.2, 0.4, 0.6), "event_weight": (0.0, 0.1, 0.2, 0.4)}


def _article(record: dict) -> tuple[str, str | None, str, datetime | None]:
    """(title, headline or None when the title is the first sentence, body, published) as the cleaner sees it."""
    lines = record["text"].split("\n")
    if lines and _URL_LINE.match(lines[0]):
        lines = lines[1:]
    text = _SPLIT_TIME.sub(r"\1:\2", "\n".join(lines))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # dateutil warns about time-zone names it cannot place
        try:
            cleaned = clean_text(text)
        except CleanError:  # a headline-only file: keep it all as body
            return lines[0], None, text, None
    headline = None if cleaned.title_source == "first_sentence" else cleaned.title
    return cleaned.title, headline, cleaned.text, cleaned.published_at


def _entity_id(participant: Participant | None) -> str | None:
    return participant.entity.entity_id if participant and participant.entity else None


def coded_event_keys(doc: Doc, published: datetime | None) -> frozenset[str]:
    """The article's event keys as the stories stage makes them, with the article's own mentions standing
    in for the warehouse's linked entities (their canonical keys for entity ids)."""
    mentions = [dataclasses.replace(m, entity_id=m.entity_key) for m in link_article(doc)]
    entities = {m.entity_key: EntityRef(m.entity_key, m.surface, m.entity_type, m.country_code) for m in mentions}
    coded = code_events(doc, published.date() if published else None, linked_lookup(mentions, entities))
    return event_keys(
        EventFacts(
            e.event_type,
            _entity_id(e.actors[0]) if e.actors else None,
            _entity_id(e.recipients[0]) if e.recipients else None,
            _entity_id(e.location),
            e.event_date,
        )
        for e in coded
        if not (e.negated or e.hypothetical)
    )


def load_features(path: Path) -> tuple[list[ArticleFeatures], dict[str, str], dict[str, int]]:
    """The articles' features, their gold story and their topic."""
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    articles = {r["doc_id"]: _article(r) for r in records}
    parsed = {p.key: p.docbin for p in parse_texts([(k, body) for k, (_, _, body, _) in articles.items()])}
    vocab = load_pipeline().vocab
    features = []
    for key, (title, headline, _, published) in articles.items():
        doc = deserialize_doc(vocab, parsed[key])
        terms, entities = term_weights(headline, doc), named_entities(doc)
        events = coded_event_keys(doc, published)
        features.append(ArticleFeatures(key, title, terms, entities, published, _SEEN, events=events))
    return features, {r["doc_id"]: r["story"] for r in records}, {r["doc_id"]: r["topic"] for r in records}


def cluster(features: Iterable[ArticleFeatures], config: ClusterConfig) -> dict[str, str]:
    clusterer = Clusterer([], Vocabulary(), config)
    return {a.article_id: a.story_id for a in clusterer.assign(features)}


def _scores(features: list[ArticleFeatures], gold: dict[str, str], **settings: float) -> dict[str, PRF]:
    """B-cubed with time features on and off, under the given settings (the shipped ones by default)."""
    return {
        f"time features {'on' if use_time else 'off'}": bcubed(
            cluster(features, ClusterConfig(use_time=use_time, **settings)),
            {a.article_id: gold[a.article_id] for a in features},
        )
        for use_time in (True, False)
    }


def _mean_f1(scores: dict[str, PRF]) -> float:
    return sum(s.f1 for s in scores.values()) / len(scores)


def held_out(features: list[ArticleFeatures], gold: dict[str, str], topic: dict[str, int]) -> list[dict]:
    """Per half of the topics: the settings the other half would choose from the grid, and how they and the
    shipped settings score on this half."""
    topics = sorted(set(topic.values()))
    halves = [set(topics[0::2]), set(topics[1::2])]
    grid = [dict(zip(_GRID, values, strict=True)) for values in itertools.product(*_GRID.values())]
    out = []
    for tune, test in (halves, halves[::-1]):
        tuning = [a for a in features if topic[a.article_id] in tune]
        testing = [a for a in features if topic[a.article_id] in test]
        chosen = max(grid, key=lambda settings: _mean_f1(_scores(tuning, gold, **settings)))  # ties: first in grid
        out.append(
            {
                "tested_on_topics": sorted(test),
                "chosen": chosen,
                "chosen_scores": _scores(testing, gold, **chosen),
                "shipped_scores": _scores(testing, gold),
            }
        )
    return out


def _held_out_table(folds: list[dict]) -> str:
    rows = []
    for number, fold in enumerate(folds, 1):
        chosen = ", ".join(f"{k} {v}" for k, v in fold["chosen"].items())
        for label, key in ((f"chosen on the other half ({chosen})", "chosen_scores"), ("shipped", "shipped_scores")):
            rows += [(f"half {number}, {label}, {time}", score) for time, score in fold[key].items()]
    return table(rows, header="held-out B-cubed")


def run(data_dir: Path) -> Result:
    path = data_dir / "stories" / ECB_FILE
    if not path.is_file():
        return Result("stories", "", skipped=f"{path} not found")
    features, gold, topic = load_features(path)
    with_time, without_time = cluster(features, ClusterConfig()), cluster(features, ClusterConfig(use_time=False))
    scores = {"time features on": bcubed(with_time, gold), "time features off": bcubed(without_time, gold)}
    no_events = _scores(features, gold, event_weight=0.0)
    folds = held_out(features, gold, topic)
    dated = sum(a.published_at is not None for a in features)
    with_events = sum(bool(a.events) for a in features)
    markdown = (
        f"ECB+ dev: {len(gold)} articles, {len(set(gold.values()))} gold stories; {dated} articles state a date, "
        f"{with_events} have event keys.\n\n"
        + table(list(scores.items()), header="B-cubed")
        + f"\n\nStories found: {len(set(with_time.values()))} (time on), {len(set(without_time.values()))} (time off)."
        + "\n\nWithout event features (event weight 0):\n\n"
        + table(list(no_events.items()), header="B-cubed")
        + "\n\nHeld out: settings chosen on one half of the topics, scored on the other:\n\n"
        + _held_out_table(folds)
    )
    metrics = {name: vars(score) for name, score in scores.items()} | {
        "articles": len(gold),
        "gold_stories": len(set(gold.values())),
        "dated_articles": dated,
        "articles_with_event_keys": with_events,
        "stories_time_on": len(set(with_time.values())),
        "stories_time_off": len(set(without_time.values())),
        "without_event_features": {name: vars(score) for name, score in no_events.items()},
        "held_out": [
            fold | {key: {t: vars(s) for t, s in fold[key].items()} for key in ("chosen_scores", "shipped_scores")}
            for fold in folds
        ],
    }
    return Result("stories", markdown, metrics)
