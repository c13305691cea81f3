"""Stories stage: each new parsed article of the batch joins the best active story or opens one.

First, articles edited since they joined a story, or become a near-duplicate copy of another, leave it,
and every story that lost members (those, or articles withdrawn because their file was deleted) is
rebuilt from the members it has left; the edited articles are then clustered again with their new text,
like new ones.

Only what the new articles touch is read: the stories active in their time window (with their centroid
and entity counts) and the document frequencies of their terms; the stage writes back the changed
stories, the new memberships and the updated frequencies in one transaction per chunk. A new clusterer
version empties the story tables and rebuilds them from every article, in arrival order.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pipelines.core.nlp import products
from pipelines.core.stages.entity_links import mentioned_entities
from pipelines.core.stages.nlp_parse import headline, stored_docs
from pipelines.core.stages.report import StageReport
from pipelines.core.stories.clustering import (
    CLUSTERER_VERSION,
    ClusterConfig,
    Clusterer,
    Story,
    Vocabulary,
    rebuild_story,
)
from pipelines.core.stories.features import ArticleFeatures, term_weights
from pipelines.core.warehouse import Session, utcnow

CHUNK_SIZE = 5000
VERSION_KEY = "stories_clusterer_version"
ARTICLES_KEY = "story_articles"
_EARLIEST, _LATEST = datetime(1900, 1, 1), datetime(2999, 1, 1)


def _story_terms(session: Session, pending: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """Each article's TF-IDF terms: as its parsing worker made them in this run, else from its stored
    parse (fetched only for those)."""
    terms: dict[str, dict[str, float]] = {}
    missing = []
    for article in pending:
        made = products.story_terms(article["article_id"], article["text_hash"], article["nlp_version"])
        if made is None:
            missing.append(article["article_id"])
        else:
            terms[article["article_id"]] = made
    by_id = {a["article_id"]: a for a in pending}
    for article_id, doc in stored_docs(session, missing):
        terms[article_id] = term_weights(headline(by_id[article_id]), doc)
    return terms


def _features(session: Session, pending: list[dict[str, Any]]) -> list[ArticleFeatures]:
    entities = mentioned_entities(session, (a["article_id"] for a in pending))
    terms = _story_terms(session, pending)
    out = []
    for article in pending:
        out.append(
            ArticleFeatures(
                article["article_id"],
                article["title"] or "",
                terms[article["article_id"]],
                entities.get(article["article_id"], frozenset()),
                article["published_at"],
                article["first_seen_at"],
                {"batch_key": article["batch_key"]},
            )
        )
    return out


def _active_stories(session: Session, articles: list[ArticleFeatures], config: ClusterConfig) -> list[Story]:
    published = [a.published_at for a in articles if a.published_at]
    seen = [a.seen_at for a in articles]
    rows = session.rows(
        "active_stories",
        from_published=min(published) - config.window if published else _LATEST,
        to_published=max(published) + config.window if published else _EARLIEST,
        from_seen=min(seen) - config.window,
        to_seen=max(seen) + config.window,
    )
    stories = {
        r["story_id"]: Story(
            story_id=r["story_id"],
            title=r["title"],
            opening_article_id="",
            centroid={},
            entities=Counter(),
            first_seen=r["first_seen_at"],
            last_seen=r["last_seen_at"],
            first_published=r["first_published_at"],
            last_published=r["last_published_at"],
            article_count=r["article_count"],
        )
        for r in rows
    }
    probe = [{"story_id": s} for s in stories]
    if probe:
        for row in session.with_rows("probe", probe, "story_terms_for"):
            stories[row["story_id"]].centroid[row["term"]] = row["weight"]
        for row in session.with_rows("probe", probe, "story_entities_for"):
            stories[row["story_id"]].entities[row["entity_key"]] = row["articles"]
    return list(stories.values())


def _vocabulary(session: Session, articles: list[ArticleFeatures], stories: list[Story]) -> Vocabulary:
    """Document frequencies of every term and entity the comparisons will touch."""
    keys = {("term", t) for a in articles for t in a.terms} | {("term", t) for s in stories for t in s.centroid}
    keys |= {("entity", e) for a in articles for e in a.entities} | {("entity", e) for s in stories for e in s.entities}
    vocabulary = Vocabulary(articles=int(session.meta(ARTICLES_KEY, "0") or 0))
    rows = session.with_rows("probe", [{"kind": k, "key": v} for k, v in sorted(keys)], "story_vocabulary_for")
    for row in rows:
        (vocabulary.terms if row["kind"] == "term" else vocabulary.entities)[row["key"]] = row["df"]
    return vocabulary


def _story_rows(stories: Iterable[Story], openers: dict[str, str], now: datetime) -> tuple[list, list, list]:
    story_rows, term_rows, entity_rows = [], [], []
    for story in stories:
        story_rows.append(
            {
                "story_id": story.story_id,
                "title": story.title,
                "opening_article_id": openers.get(story.story_id, story.opening_article_id),
                "first_published_at": story.first_published,
                "last_published_at": story.last_published,
                "first_seen_at": story.first_seen,
                "last_seen_at": story.last_seen,
                "article_count": story.article_count,
                "top_entities": story.top_entities(),
                "clusterer_version": CLUSTERER_VERSION,
                "updated_at": now,
            }
        )
        term_rows += [{"story_id": story.story_id, "term": t, "weight": w} for t, w in sorted(story.centroid.items())]
        entity_rows += [
            {"story_id": story.story_id, "entity_key": e, "articles": n} for e, n in sorted(story.entities.items())
        ]
    return story_rows, term_rows, entity_rows


def _rebuild_if_new_version(session: Session) -> bool:
    """Empty the story tables when they were built by another clusterer version; True if so."""
    if session.meta(VERSION_KEY) == CLUSTERER_VERSION:
        return False
    with session.transaction():
        session.run("reset_stories")
        session.set_meta(ARTICLES_KEY, "0")
        session.set_meta(VERSION_KEY, CLUSTERER_VERSION)
    return True


def _rebuild_shrunk_stories(session: Session) -> int:
    """Rebuild the stories that lost members from the members they have left; delete those left empty.
    Returns how many stories changed."""
    with session.transaction():
        session.run("forget_stale_story_members")
    shrunk = {row["story_id"]: row["opening_article_id"] for row in session.rows("shrunk_stories")}
    if not shrunk:
        return 0
    rows = session.with_rows("probe", [{"story_id": s} for s in shrunk], "story_members_for")
    features = {f.article_id: f for f in _features(session, rows)}
    members: dict[str, list[ArticleFeatures]] = {}
    for row in rows:
        members.setdefault(row["story_id"], []).append(features[row["article_id"]])
    rebuilt = [rebuild_story(s, shrunk[s], members[s]) for s in shrunk if s in members]
    emptied = [{"story_id": s} for s in shrunk if s not in members]
    story_rows, term_rows, entity_rows = _story_rows(rebuilt, {}, utcnow())
    with session.transaction():
        session.with_rows("probe", [{"story_id": s} for s in shrunk], "forget_story_profile")
        if emptied:
            session.with_rows("probe", emptied, "delete_stories")
        session.upsert("stories", story_rows, ["story_id"])
        session.insert("story_terms", term_rows)
        session.insert("story_entities", entity_rows)
        session.bump_data_version("stories")
    return len(shrunk)


def cluster_pending_stories(
    session: Session, batch_keys: Iterable[str], run_id: str, chunk_size: int = CHUNK_SIZE
) -> StageReport:
    keys = sorted(set(batch_keys))
    report = StageReport("stories", keys, run_id)
    everything = _rebuild_if_new_version(session)
    report.details["stories_rebuilt"] = 0 if everything else _rebuild_shrunk_stories(session)
    config = ClusterConfig()
    while True:
        pending = session.rows("pending_stories", limit=chunk_size)
        if not pending:
            break
        now = utcnow()
        articles = _features(session, pending)
        stories = _active_stories(session, articles, config)
        vocabulary = _vocabulary(session, articles, stories)
        clusterer = Clusterer(stories, vocabulary, config)
        assignments = clusterer.assign(articles)
        batch_of = {a.article_id: a.extra["batch_key"] for a in articles}
        text_of = {a["article_id"]: a["text_hash"] for a in pending}
        members = [
            {
                "article_id": a.article_id,
                "story_id": a.story_id,
                "similarity": a.similarity,
                "opened_story": a.opened,
                "batch_key": batch_of[a.article_id],
                "clusterer_version": CLUSTERER_VERSION,
                "assigned_at": now,
                "text_hash": text_of[a.article_id],
            }
            for a in assignments
        ]
        changed = [s for s in clusterer.stories.values() if s.changed]
        openers = {a.story_id: a.article_id for a in assignments if a.opened}
        story_rows, term_rows, entity_rows = _story_rows(changed, openers, now)
        batch_keys_seen = {("term", t) for a in articles for t in a.terms} | {
            ("entity", e) for a in articles for e in a.entities
        }
        vocabulary_rows = [
            {"kind": kind, "key": key, "df": (vocabulary.terms if kind == "term" else vocabulary.entities)[key]}
            for kind, key in sorted(batch_keys_seen)
        ]
        with session.transaction():
            session.with_rows("probe", [{"story_id": s["story_id"]} for s in story_rows], "forget_story_profile")
            session.upsert("stories", story_rows, ["story_id"])
            session.insert("story_terms", term_rows)
            session.insert("story_entities", entity_rows)
            session.upsert("story_vocabulary", vocabulary_rows, ["kind", "key"])
            session.insert("article_stories", members)
            session.set_meta(ARTICLES_KEY, str(vocabulary.articles))
            session.bump_data_version("stories")
        report.rows_in += len(pending)
        report.new += len(openers)
        report.updated += len(changed) - len(openers)
        if len(pending) < chunk_size:
            break
    report.details.update(rebuilt=everything, clusterer_version=CLUSTERER_VERSION)
    return report.finish(session)
