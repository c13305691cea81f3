"""One document in, one cleaned article (or one rejection) out. Pure: no I/O, no warehouse.

Stages a document can fail, each with its own reject reason:
  decode   bytes are not text (binary, broken UTF-8, unknown code page, empty)
  parse    not valid in its format (malformed JSONL line, missing fields)
  extract  HTML without article text
  clean    nothing left once headline and furniture are removed
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from importlib import resources

from pipelines.core.bylines import clean_byline
from pipelines.core.clean import CleanError, clean_text
from pipelines.core.dates import date_precision, parse_date_value
from pipelines.core.decode import DecodeError
from pipelines.core.extract import ExtractError
from pipelines.core.formats import ParseError, parse_document
from pipelines.core.ids import stable_id, text_fingerprint
from pipelines.core.language import detect_language
from pipelines.core.text import word_count
from pipelines.core.urls import canonical_url

# Bump the number when cleaning code changes behaviour; the rules file's checksum is appended
# automatically, so editing cleaning.yaml also marks rows as produced by a different cleaner.
_CLEANER_CODE_VERSION = "5"  # 5: titles, bylines, web pages' lede, date precision, language; 4: .jsonl identity
CLEANER_VERSION = (
    _CLEANER_CODE_VERSION
    + "."
    + hashlib.sha256(resources.files("pipelines.core.rules").joinpath("cleaning.yaml").read_bytes()).hexdigest()[:8]
)


@dataclass(frozen=True)
class DocumentIn:
    document_id: str
    batch_key: str
    uri: str
    locator: str | None
    content_type: str
    raw: bytes
    fetched_at: datetime
    source_kind: str = "seed_folder"
    entry: str | None = None  # JSON of the feed entry a fetched document was made for
    declared_charset: str | None = None  # the server's Content-Type charset, for fetched pages

    @property
    def url(self) -> str | None:
        """Where a fetched document came from; files have no URL of their own."""
        return None if self.source_kind == "seed_folder" else self.uri


@dataclass(frozen=True)
class Rejection:
    document_id: str
    stage: str
    reason: str


@dataclass(frozen=True)
class CleanArticle:
    document_id: str
    article_id: str
    identity_key: str
    text_hash: str
    row: dict[str, object]


def identity_key(doc: DocumentIn, canonical: str | None, record_id: str | None, text_hash: str) -> str:
    """What makes two documents the same article: the canonical URL, else the place it was read from. A
    place holding several documents (a .jsonl file) tells them apart by the record's own id, else by its
    text, never by the line number: inserting a line would hand every following text to its neighbour's
    article."""
    if canonical:
        return canonical
    place = f"{doc.source_kind}:{doc.uri}"
    if not doc.locator:
        return place
    return f"{place}#id={record_id}" if record_id else f"{place}#text={text_hash}"


def build_article(doc: DocumentIn, now: datetime | None = None) -> CleanArticle | Rejection:
    try:
        draft = parse_document(doc.raw, doc.content_type, doc.url, doc.entry, doc.declared_charset)
    except DecodeError as exc:
        return Rejection(doc.document_id, "decode", str(exc))
    except ParseError as exc:
        where = f"{doc.locator}: " if doc.locator else ""
        return Rejection(doc.document_id, "parse", f"{where}{exc}")
    except ExtractError as exc:
        return Rejection(doc.document_id, "extract", str(exc))
    try:
        cleaned = clean_text(draft.text, title=draft.title, now=now, extracted=draft.extracted)
    except CleanError as exc:
        return Rejection(doc.document_id, "clean", str(exc))

    published = parse_date_value(draft.published, now)
    published_source = "metadata" if published else ("date_line" if cleaned.published_at else None)
    words = word_count(cleaned.text)
    language, score, language_source = detect_language(cleaned.text, words, draft.language)
    canonical = canonical_url(draft.url)
    text_hash = text_fingerprint(cleaned.text)
    key = identity_key(doc, canonical, draft.record_id, text_hash)
    row: dict[str, object] = {
        "document_id": doc.document_id,
        "batch_key": doc.batch_key,
        "identity_key": key,
        "url": draft.url,
        "canonical_url": canonical,
        "title": cleaned.title,
        "title_source": cleaned.title_source,
        "standfirst": cleaned.standfirst,
        "byline": clean_byline(draft.author),
        "dateline": cleaned.dateline,
        "agency": cleaned.agency,
        "site_name": draft.site_name,
        "published_at": published or cleaned.published_at,
        "published_precision": date_precision(draft.published) if published else cleaned.published_precision,
        "published_source": published_source,
        "language": language,
        "language_score": score,
        "language_source": language_source,
        "text": cleaned.text,
        "word_count": words,
        "text_hash": text_hash,
        "encoding": draft.encoding,
        "text_source": draft.text_source,
        "cleaning": json.dumps(draft.notes + cleaned.removed, ensure_ascii=False),
    }
    return CleanArticle(doc.document_id, stable_id("article", key), key, text_hash, row)


@dataclass(frozen=True)
class Existing:
    article_id: str
    text_hash: str
    first_seen_at: datetime


@dataclass(frozen=True)
class Decision:
    article: CleanArticle
    article_id: str
    relation: str  # new | updated | same_source | same_text
    first_seen_at: datetime | None

    @property
    def writes_article(self) -> bool:
        return self.relation in ("new", "updated")


def resolve_identities(
    articles: list[CleanArticle],
    existing: list[Existing],
    now: datetime,
    arrived: Mapping[str, datetime] | None = None,
) -> list[Decision]:
    """Exact-duplicate layer: same identity (file/URL) or same normalised text → one article.

    Articles are decided in order, each seeing the ones before it, so two copies inside one batch
    collapse exactly like a copy arriving a day later. A new article is first seen when its document arrived
    (`arrived`, by document id; else `now`): not when it was cleaned, which depends on which batch's cleaning
    ran first, while the order of arrival decides which of two copies is the original. So a text is a copy of
    a stored article only if that article arrived no later; one that arrived later (another batch cleaned
    first) is left for the near-duplicate stage to fold into this one (concurrent_exact_copies.sql).
    """
    arrived = arrived or {}
    by_id = {e.article_id: e for e in existing}
    original_of: dict[str, str] = {}  # text hash → the article with that text that arrived first

    def offer(article_id: str) -> None:
        entry, current = by_id[article_id], original_of.get(by_id[article_id].text_hash)
        if current is None or (entry.first_seen_at, article_id) < (by_id[current].first_seen_at, current):
            original_of[entry.text_hash] = article_id

    for entry in existing:
        offer(entry.article_id)
    decisions: list[Decision] = []
    for art in articles:
        seen = arrived.get(art.document_id, now)
        known = by_id.get(art.article_id)
        original = original_of.get(art.text_hash)
        if known is not None:
            if known.text_hash == art.text_hash:
                decisions.append(Decision(art, art.article_id, "same_source", known.first_seen_at))
                continue
            if original_of.get(known.text_hash) == known.article_id:
                del original_of[known.text_hash]
            decisions.append(Decision(art, art.article_id, "updated", known.first_seen_at))
            first_seen = known.first_seen_at
        elif original is not None and by_id[original].first_seen_at <= seen:
            decisions.append(Decision(art, original, "same_text", by_id[original].first_seen_at))
            continue
        else:
            first_seen = seen
            decisions.append(Decision(art, art.article_id, "new", first_seen))
        by_id[art.article_id] = Existing(art.article_id, art.text_hash, first_seen)
        offer(art.article_id)
    return decisions
