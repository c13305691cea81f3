"""Online story clustering: each new article joins the best matching active story, or opens a new one.

Score = cosine(TF-IDF of the article, TF-IDF of the story centroid) + ENTITY_WEIGHT × (IDF-weighted share of
the article's entities the story already mentions) + EVENT_WEIGHT × (the same share of its event keys,
features.event_keys: IDF makes a type at a place on a day strong evidence, a common pairing weak). The
article joins the best story scoring at least THRESHOLD; ties go to the smaller story id. After the batch's
pass, an article left alone in the story it opened takes a second look (Clusterer._second_look). History
is never re-clustered: a story's centroid is the sum of its members' normalised term vectors (kept to
CENTROID_TERMS terms), updated as members arrive.

IDF. Document frequencies are counted incrementally over every clustered article (the warehouse keeps
them), so "Syria" weighs little in a Syria-heavy stream and much in a sports one; a batch's own articles
are counted before any of them is assigned, so the articles of one batch share one IDF and their order
within the batch does not change their weights. IDF = ln((N + 1) / (df + 1)) + 1 (never zero, so a small
first batch still compares). A fixed background vocabulary was tried and rejected: general-English
rarity makes topic words ("Kremlin", "earthquake") dominate and merges different happenings of one topic.

Time. A story is a candidate only while active: when both the article and the story have stated
publication dates, the article must fall within WINDOW_DAYS of the story's published range; otherwise the
time the pipeline first saw them is compared the same way (an undated article is placed at the time the
pipeline first saw it, never given a publication date). `use_time=False` turns both checks off.

Determinism. Articles are assigned in (published or seen time, article id) order; story ids are hashes
of the article that opened them; scores tie-break on story id. The same articles in the same batches give
the same stories, and re-running a batch changes nothing (membership is stored and sticky).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from pipelines.core.ids import stable_id
from pipelines.core.stories import features
from pipelines.core.stories.features import ArticleFeatures

THRESHOLD = 0.40
ENTITY_WEIGHT = 0.4
EVENT_WEIGHT = 0.1
WINDOW_DAYS = 30
CENTROID_TERMS = 300
TOP_ENTITIES = 5
# Bump when the clustering logic changes; the settings are part of the version below. A new version
# rebuilds every story (online clusters cannot be patched), in the order the articles arrived.
_CODE_VERSION = "2"
CLUSTERER_VERSION = stable_id(
    _CODE_VERSION,
    *map(
        str,
        (
            THRESHOLD,
            ENTITY_WEIGHT,
            EVENT_WEIGHT,
            WINDOW_DAYS,
            CENTROID_TERMS,
            features.LEAD_WORDS,
            features.TITLE_WEIGHT,
        ),
    ),
)[:8]


@dataclass(frozen=True)
class ClusterConfig:
    threshold: float = THRESHOLD
    entity_weight: float = ENTITY_WEIGHT
    event_weight: float = EVENT_WEIGHT
    window: timedelta = timedelta(days=WINDOW_DAYS)
    use_time: bool = True


@dataclass
class Vocabulary:
    """Document frequencies of terms, entity keys and event keys over all clustered articles."""

    articles: int = 0
    terms: Counter[str] = field(default_factory=Counter)
    entities: Counter[str] = field(default_factory=Counter)
    events: Counter[str] = field(default_factory=Counter)

    def add(self, features: ArticleFeatures) -> None:
        self.articles += 1
        self.terms.update(features.terms.keys())
        self.entities.update(features.entities)
        self.events.update(features.events)

    def idf(self, df: int) -> float:
        return math.log((self.articles + 1) / (df + 1)) + 1.0


@dataclass
class Story:
    story_id: str
    title: str
    opening_article_id: str
    centroid: dict[str, float]
    entities: Counter[str]
    first_seen: datetime
    last_seen: datetime
    first_published: datetime | None = None
    last_published: datetime | None = None
    article_count: int = 0
    changed: bool = False
    events: Counter[str] = field(default_factory=Counter)

    def top_entities(self, n: int = TOP_ENTITIES) -> list[str]:
        return [key for key, _ in sorted(self.entities.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


@dataclass(frozen=True)
class Assignment:
    article_id: str
    story_id: str
    similarity: float | None  # score against the story it joined; None for the article that opened it
    opened: bool


def story_id_for(article_id: str) -> str:
    return stable_id("story", article_id)


def build_story(story_id: str, members: Iterable[ArticleFeatures], opening_article_id: str | None = None) -> Story:
    """A story made of these members, as if they had joined it in time order: its centroid, entities,
    events, dates and count are theirs alone (for a story an analyst's correction changed, or one that lost
    members: see stages/cluster_stories.py). It keeps its id and, while its opening article is among the
    members, that article's title; otherwise its earliest member opens it."""
    ordered = sorted(members, key=_sort_key)
    opener = next((a for a in ordered if a.article_id == opening_article_id), ordered[0])
    story = Story(story_id, opener.title, opener.article_id, {}, Counter(), opener.seen_at, opener.seen_at)
    for article in ordered:
        _join(story, article)
    return story


def _sort_key(a: ArticleFeatures) -> tuple[datetime, str]:
    return (a.published_at or a.seen_at, a.article_id)


def _unit(vector: dict[str, float]) -> dict[str, float]:
    norm = math.sqrt(sum(v * v for v in vector.values()))
    return {k: v / norm for k, v in vector.items()} if norm else {}


def _active(story: Story, article: ArticleFeatures, window: timedelta) -> bool:
    if article.published_at and story.first_published and story.last_published:
        low, high, at = story.first_published, story.last_published, article.published_at
    else:
        low, high, at = story.first_seen, story.last_seen, article.seen_at
    return low - window <= at <= high + window


class Clusterer:
    """Assigns articles to stories, mutating the given stories and vocabulary (the caller stores them)."""

    def __init__(self, stories: Iterable[Story], vocabulary: Vocabulary, config: ClusterConfig | None = None) -> None:
        self.stories = {s.story_id: s for s in stories}
        self.vocabulary = vocabulary
        self.config = config or ClusterConfig()
        # Each story's TF-IDF vector, posted under its terms (term -> story -> weight), and its entity and
        # event keys: an article is scored only against stories it shares something with (any other scores
        # 0), and a story's vector is computed once per change, not once per comparison.
        self._term_postings: defaultdict[str, dict[str, float]] = defaultdict(dict)
        self._key_postings: defaultdict[tuple[str, str], set[str]] = defaultdict(set)
        self._posted: dict[str, dict[str, float]] = {}
        self._idf_changed = True  # every vector must be posted (again) before the next comparison
        for story in self.stories.values():
            self._post_keys(story, story.entities.keys(), story.events.keys())

    def _post_keys(self, story: Story, entities: Iterable[str], events: Iterable[str]) -> None:
        for entity in entities:
            self._key_postings["entity", entity].add(story.story_id)
        for event in events:
            self._key_postings["event", event].add(story.story_id)

    def _overlap(self, kind: str, keys: frozenset[str], df: Counter[str]) -> dict[str, float]:
        """Per story, the IDF-weighted share of the article's keys of this kind that the story has too."""
        weights = {key: self.vocabulary.idf(df[key]) for key in keys}
        total = sum(weights.values())
        overlap: defaultdict[str, float] = defaultdict(float)
        for key, weight in weights.items():
            for story_id in self._key_postings.get((kind, key), ()):
                overlap[story_id] += weight / total
        return overlap

    def _post_vector(self, story: Story) -> None:
        """Post the story's current TF-IDF vector, replacing the one posted before."""
        for term in self._posted.get(story.story_id, ()):
            del self._term_postings[term][story.story_id]
        vector = self._posted[story.story_id] = self._tfidf(story.centroid)
        for term, weight in vector.items():
            self._term_postings[term][story.story_id] = weight

    def _tfidf(self, terms: dict[str, float]) -> dict[str, float]:
        df = self.vocabulary.terms
        return _unit({t: w * self.vocabulary.idf(df[t]) for t, w in terms.items()})

    def scores(self, article: ArticleFeatures) -> dict[str, float]:
        """Score of every story sharing a term or an entity with the article (the others score 0),
        accumulated term by term over the postings, so only shared terms cost anything."""
        if self._idf_changed:
            for story in self.stories.values():
                self._post_vector(story)
            self._idf_changed = False
        cosine: defaultdict[str, float] = defaultdict(float)
        for term, weight in self._tfidf(article.terms).items():
            for story_id, story_weight in self._term_postings.get(term, {}).items():
                cosine[story_id] += weight * story_weight
        entities = self._overlap("entity", article.entities, self.vocabulary.entities)
        events = self._overlap("event", article.events, self.vocabulary.events)
        entity_weight, event_weight = self.config.entity_weight, self.config.event_weight
        return {
            s: cosine.get(s, 0.0) + entity_weight * entities.get(s, 0.0) + event_weight * events.get(s, 0.0)
            for s in cosine.keys() | entities.keys() | events.keys()
        }

    def best(self, article: ArticleFeatures, exclude: str | None = None) -> tuple[Story | None, float]:
        """The active story the article joins: the highest score (rounded to 6 places, ties to the smaller
        story id) among those reaching the threshold, other than `exclude`; None when no active story does.
        Stories below the threshold are never checked for activity, which is most of them."""
        floor = self.config.threshold - 1e-6
        candidates = sorted(
            (-round(score, 6), story_id)
            for story_id, score in self.scores(article).items()
            if score >= floor and story_id != exclude
        )
        for negated, story_id in candidates:
            story = self.stories[story_id]
            if -negated >= self.config.threshold and (
                not self.config.use_time or _active(story, article, self.config.window)
            ):
                return story, -negated
        return None, 0.0

    def assign(self, articles: Iterable[ArticleFeatures]) -> list[Assignment]:
        """Assign a batch: its articles enter the document frequencies first, then join stories in order;
        then every article still alone in the story it opened takes a second look (see _second_look)."""
        batch = sorted(articles, key=_sort_key)
        for article in batch:
            self.vocabulary.add(article)
        self._idf_changed = True
        first = {article.article_id: self._assign_one(article) for article in batch}
        return self._second_look(batch, first)

    def _second_look(self, batch: list[ArticleFeatures], first: dict[str, Assignment]) -> list[Assignment]:
        """One pass in arrival order leaves early articles of a batch alone: an article that opened a story
        before the other reports of its happening had arrived could compare only with what came before it
        (ECB+ dev: a third of the stories found were such singletons). Once the batch's stories have formed,
        an article still alone in the story it opened joins the best other story reaching the threshold,
        as if it had arrived last. Its own story was never stored, so nothing stored moves; a batch of one
        article is unchanged."""
        members = Counter(a.story_id for a in first.values())
        final = dict(first)
        for article in batch:
            mine = first[article.article_id]
            if not mine.opened or members[mine.story_id] > 1:
                continue
            story, similarity = self.best(article, exclude=mine.story_id)
            if story is None:
                continue
            self._withdraw(self.stories.pop(mine.story_id))
            members[mine.story_id] -= 1
            members[story.story_id] += 1
            self._add(story, article)
            final[article.article_id] = Assignment(article.article_id, story.story_id, round(similarity, 4), False)
        return [final[article.article_id] for article in batch]

    def _withdraw(self, story: Story) -> None:
        """Take a story out of the postings (it was dissolved into another)."""
        for term in self._posted.pop(story.story_id, ()):
            del self._term_postings[term][story.story_id]
        for key in [("entity", e) for e in story.entities] + [("event", e) for e in story.events]:
            self._key_postings[key].discard(story.story_id)

    def _add(self, story: Story, article: ArticleFeatures) -> None:
        _join(story, article)
        self._post_vector(story)
        self._post_keys(story, article.entities, article.events)

    def _assign_one(self, article: ArticleFeatures) -> Assignment:
        story, similarity = self.best(article)
        opened = story is None
        if opened:
            story = Story(
                story_id=story_id_for(article.article_id),
                title=article.title,
                opening_article_id=article.article_id,
                centroid={},
                entities=Counter(),
                first_seen=article.seen_at,
                last_seen=article.seen_at,
            )
            self.stories[story.story_id] = story
        assert story is not None
        self._add(story, article)
        return Assignment(article.article_id, story.story_id, None if opened else round(similarity, 4), opened)


def _join(story: Story, article: ArticleFeatures) -> None:
    for term, weight in _unit(article.terms).items():
        story.centroid[term] = story.centroid.get(term, 0.0) + weight
    if len(story.centroid) > CENTROID_TERMS:
        kept = sorted(story.centroid.items(), key=lambda kv: (-kv[1], kv[0]))[:CENTROID_TERMS]
        story.centroid = dict(kept)
    story.entities.update(article.entities)
    story.events.update(article.events)
    story.first_seen = min(story.first_seen, article.seen_at)
    story.last_seen = max(story.last_seen, article.seen_at)
    if article.published_at:
        story.first_published = min(filter(None, (story.first_published, article.published_at)))
        story.last_published = max(filter(None, (story.last_published, article.published_at)))
    story.article_count += 1
    story.changed = True
