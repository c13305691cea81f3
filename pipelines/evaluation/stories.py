"""Story clustering quality on ECB+ (NEWS_EVAL_DIR/stories/ecbplus_dev.jsonl, read at run time).

486 news articles in 22 topics; each topic holds two different but similar happenings (two earthquakes,
two rescues of sailors), so same-topic articles are hard negatives. Each article goes through the
pipeline's own cleaner (title, body, publication date from a date line) and model (lemmas, entities);
the clusterer then sees the whole set as one batch, in its usual order. ECB+ ships its text tokenised
("http: / / www…", "7: 35 am"): the adapter drops the URL line and rejoins clock times, nothing else.

Scored with B-cubed precision/recall/F1, twice: with time features (only the articles whose text states a
date have one) and without.
"""

from __future__ import annotations

import json
import re
import warnings
from datetime import datetime
from pathlib import Path

from pipelines.core.clean import CleanError, clean_text
from pipelines.core.nlp.model import load_pipeline
from pipelines.core.nlp.parse import deserialize_doc, parse_texts
from pipelines.core.stories.clustering import ClusterConfig, Clusterer, Vocabulary
from pipelines.core.stories.features import ArticleFeatures, named_entities, term_weights
from pipelines.evaluation import Result
from pipelines.evaluation.scoring import bcubed, table

ECB_FILE = "ecbplus_dev.jsonl"
_URL_LINE = re.compile(r"^https?: / /")
_SPLIT_TIME = re.compile(r"(\d): (\d\d)\b")
# Every article is "first seen" at the same instant, as in one backfill.
_SEEN = datetime(2000, 1, 1)


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


def load_features(path: Path) -> tuple[list[ArticleFeatures], dict[str, str]]:
    records = [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]
    articles = {r["doc_id"]: _article(r) for r in records}
    parsed = {p.key: p.docbin for p in parse_texts([(k, body) for k, (_, _, body, _) in articles.items()])}
    vocab = load_pipeline().vocab
    features = []
    for key, (title, headline, _, published) in articles.items():
        doc = deserialize_doc(vocab, parsed[key])
        features.append(ArticleFeatures(key, title, term_weights(headline, doc), named_entities(doc), published, _SEEN))
    return features, {r["doc_id"]: r["story"] for r in records}


def cluster(features: list[ArticleFeatures], use_time: bool) -> dict[str, str]:
    clusterer = Clusterer([], Vocabulary(), ClusterConfig(use_time=use_time))
    return {a.article_id: a.story_id for a in clusterer.assign(features)}


def run(data_dir: Path) -> Result:
    path = data_dir / "stories" / ECB_FILE
    if not path.is_file():
        return Result("stories", "", skipped=f"{path} not found")
    features, gold = load_features(path)
    with_time, without_time = cluster(features, True), cluster(features, False)
    scores = {"time features on": bcubed(with_time, gold), "time features off": bcubed(without_time, gold)}
    dated = sum(a.published_at is not None for a in features)
    markdown = (
        f"ECB+ dev: {len(gold)} articles, {len(set(gold.values()))} gold stories; {dated} articles state a date.\n\n"
        + table(list(scores.items()), header="B-cubed")
        + f"\n\nStories found: {len(set(with_time.values()))} (time on), {len(set(without_time.values()))} (time off)."
    )
    metrics = {name: vars(score) for name, score in scores.items()} | {
        "articles": len(gold),
        "gold_stories": len(set(gold.values())),
        "dated_articles": dated,
        "stories_time_on": len(set(with_time.values())),
        "stories_time_off": len(set(without_time.values())),
    }
    return Result("stories", markdown, metrics)
