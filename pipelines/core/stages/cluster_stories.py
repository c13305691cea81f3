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

from collections import Counter, defaultdict
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from pipelines.core.corrections import GroupFix
from pipelines.core.ids import stable_id
from pipelines.core.nlp import products
from pipelines.core.stages.apply_corrections import FixOutcome, apply_group_fixes
from pipelines.core.stages.entity_links import mentioned_entities
from pipelines.core.stages.nlp_parse import headline, stored_docs
from pipelines.core.stages.report import StageReport
from pipelines.core.storage import Session, utcnow
from pipelines.core.stories.clustering import (
    CLUSTERER_VERSION,
    ClusterConfig,
    Clusterer,
    Story,
    Vocabulary,
    build_story,
)
from pipelines.core.stories.features import ArticleFeatures, EventFacts, event_keys, term_weights

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


def _event_keys(session: Session, article_ids: list[str]) -> dict[str, frozenset[str]]:
    """Each article's event keys, from its coded events with the analysts' corrections applied."""
    facts: defaultdict[str, list[EventFacts]] = defaultdict(list)
    probe = [{"article_id": a} for a in article_ids]
    for row in session.query_with("event_facts_of_articles", probe) if probe else []:
        facts[row["article_id"]].append(
            EventFacts(
                row["event_type"],
                row["actor_entity_id"],
                row["recipient_entity_id"],
                row["location_entity_id"],
                row["event_date"],
            )
        )
    return {article_id: event_keys(found) for article_id, found in facts.items()}


def _features(session: Session, pending: list[dict[str, Any]]) -> list[ArticleFeatures]:
    entities = mentioned_entities(session, (a["article_id"] for a in pending))
    events = _event_keys(session, [a["article_id"] for a in pending])
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
                events.get(article["article_id"], frozenset()),
            )
        )
    return out


def _active_stories(session: Session, articles: list[ArticleFeatures], config: ClusterConfig) -> list[Story]:
    published = [a.published_at for a in articles if a.published_at]
    seen = [a.seen_at for a in articles]
    rows = session.query(
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
        for row in session.query_with("story_terms_for", probe):
            stories[row["story_id"]].centroid[row["term"]] = row["weight"]
        for row in session.query_with("story_entities_for", probe):
            stories[row["story_id"]].entities[row["entity_key"]] = row["articles"]
        for row in session.query_with("story_events_for", probe):
            stories[row["story_id"]].events[row["event_key"]] = row["articles"]
    return list(stories.values())


def _vocabulary(session: Session, articles: list[ArticleFeatures], stories: list[Story]) -> Vocabulary:
    """Document frequencies of every term, entity and event key the comparisons will touch."""
    keys = _keys_of(articles) | {("term", t) for s in stories for t in s.centroid}
    keys |= {("entity", e) for s in stories for e in s.entities} | {("event", e) for s in stories for e in s.events}
    vocabulary = Vocabulary(articles=int(session.meta(ARTICLES_KEY, "0") or 0))
    rows = session.query_with("story_vocabulary_for", [{"kind": k, "key": v} for k, v in sorted(keys)])
    for row in rows:
        _counts(vocabulary, row["kind"])[row["key"]] = row["df"]
    return vocabulary


def _keys_of(articles: list[ArticleFeatures]) -> set[tuple[str, str]]:
    """(kind, key) of every term, entity and event key of the articles."""
    keys = {("term", t) for a in articles for t in a.terms} | {("entity", e) for a in articles for e in a.entities}
    return keys | {("event", e) for a in articles for e in a.events}


def _counts(vocabulary: Vocabulary, kind: str) -> Counter[str]:
    return {"term": vocabulary.terms, "entity": vocabulary.entities, "event": vocabulary.events}[kind]


def _story_rows(stories: Iterable[Story], openers: dict[str, str], now: datetime) -> tuple[list, list, list, list]:
    story_rows, term_rows, entity_rows, event_rows = [], [], [], []
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
        event_rows += [
            {"story_id": story.story_id, "event_key": e, "articles": n} for e, n in sorted(story.events.items())
        ]
    return story_rows, term_rows, entity_rows, event_rows


def _rebuild_if_new_version(session: Session) -> bool:
    """Empty the story tables when they were built by another clusterer version; True if so."""
    if session.meta(VERSION_KEY) == CLUSTERER_VERSION:
        return False
    with session.transaction():
        session.write("reset_stories")
        session.set_meta(ARTICLES_KEY, "0")
        session.set_meta(VERSION_KEY, CLUSTERER_VERSION)
    return True


def _rebuild_shrunk_stories(session: Session) -> int:
    """Take stale members out of their stories (forget_stale_story_members.sql), then rebuild every story
    that lost members from the members it has left, or drop it when none is left. Returns how many."""
    with session.transaction():
        session.write("forget_stale_story_members")
        shrunk = {row["story_id"] for row in session.query("shrunk_stories")}
        if shrunk:
            _rebuild_stories(session, shrunk)
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
        pending = session.query("pending_stories", limit=chunk_size)
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
        story_rows, term_rows, entity_rows, event_rows = _story_rows(changed, openers, now)
        vocabulary_rows = [
            {"kind": kind, "key": key, "df": _counts(vocabulary, kind)[key]} for kind, key in sorted(_keys_of(articles))
        ]
        with session.transaction():
            session.write_with("forget_story_profile", [{"story_id": s["story_id"]} for s in story_rows])
            session.upsert("stories", story_rows, ["story_id"])
            session.insert("story_terms", term_rows)
            session.insert("story_entities", entity_rows)
            session.insert("story_events", event_rows)
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


def apply_story_corrections(session: Session, report: StageReport, fixes: Iterable[GroupFix]) -> None:
    """Merge and split stories as the corrections file says, after clustering, in one transaction. A merge
    moves every member of the other stories its articles are in into the story of its first article; a
    split moves its articles out of any story they share with an article of `from`, into a story of their
    own. Moved rows say which entry moved them (article_stories.corrected_by); the stories they touched
    are rebuilt from their members. Entries already in force move nothing, so a re-run changes nothing;
    after a new clusterer version rebuilt every story, they apply again."""
    apply_group_fixes(
        session,
        report,
        "stories",  # the section of the corrections table
        "stories",  # the data version
        fixes,
        lambda fix, refs: _apply_story_fix(session, fix, refs),
        finish=lambda touched: _rebuild_stories(session, touched),
    )


def _apply_story_fix(session: Session, fix: GroupFix, refs: dict[str, dict[str, Any]]) -> FixOutcome:
    """Apply one entry; what it changed are the stories it moved articles out of and into."""
    ids = {r: refs[r]["article_id"] for r in fix.refs if r in refs}
    probe = [{"article_id": a} for a in sorted(set(ids.values()))]
    story_of = {r["article_id"]: r["story_id"] for r in session.query_with("stories_of_articles", probe)}
    missing = [r for r in fix.refs if ids.get(r) not in story_of]
    found = [ids[r] for r in fix.articles if ids.get(r) in story_of]
    apart = {story_of[ids[r]] for r in fix.apart_from if ids.get(r) in story_of}
    if fix.action == "merge":
        stories = list(dict.fromkeys(story_of[a] for a in found))
        target, others = (stories[0], stories[1:]) if len(found) > 1 else (None, [])
        members = [a for a, s in story_of.items() if s in others]
    else:
        target = stable_id("story", "split", fix.correction_id)
        members = [a for a in found if story_of[a] in apart] if apart else []
    detail = f"not found or not in a story: {', '.join(missing)}" if missing else None
    if (fix.action == "merge" and len(found) < 2) or (fix.action == "split" and not (found and apart)):
        return FixOutcome(frozenset(), len(fix.articles), "stale", detail)
    if members:
        session.write_with(
            "move_story_members",
            [{"article_id": a} for a in members],
            story_id=target,
            correction_id=fix.correction_id,
        )
    changed = frozenset({target, *(story_of[a] for a in members)}) if members else frozenset()
    return FixOutcome(changed, len(fix.articles), "partial" if missing else "applied", detail)


def _rebuild_stories(session: Session, story_ids: set[str]) -> None:
    """Rebuild each story from its members (they changed: an analyst's correction moved some, or some were
    edited or withdrawn), keeping its opening article while it remains; drop the stories left empty. Runs
    inside the caller's transaction."""
    probe = [{"story_id": s} for s in sorted(story_ids)]
    rows = session.query_with("story_members_for", probe)
    features = {f.article_id: f for f in _features(session, rows)} if rows else {}
    grouped: defaultdict[str, list[ArticleFeatures]] = defaultdict(list)
    openers: dict[str, str] = {}
    for row in rows:
        grouped[row["story_id"]].append(features[row["article_id"]])
        openers[row["story_id"]] = row["opening_article_id"]
    stories = [build_story(story_id, found, openers[story_id]) for story_id, found in sorted(grouped.items())]
    story_rows, term_rows, entity_rows, event_rows = _story_rows(stories, {}, utcnow())
    session.write_with("forget_stories", probe)
    session.insert("stories", story_rows)
    session.insert("story_terms", term_rows)
    session.insert("story_entities", entity_rows)
    session.insert("story_events", event_rows)
