"""Seeded generator of syndication variants of an article, for the near-duplicate evaluation.

A variant is what a republisher does to a wire or syndicated story: a new headline, a byline and site
furniture around the same body, the last paragraphs dropped or moved for length, a few words changed to
house style, a "related stories" list appended. Each variant records which edits were made and how much
of the original body it still holds word for word (`shared`), so recall can be reported for variants
that share at least 80% of the body (the issue's bar) separately from heavier rewrites.

Furniture is a per-site template: every variant dressed by one site carries the same lines, so two
*different* articles from one site share that boilerplate. Those pairs are the hard negatives the
furniture must not turn into duplicates. Some lines are ones the cleaner removes ("Advertisement",
"Share this article"), others stay in the body ("By Staff Reporter", "© 2005 The Courier"), as on
real sites.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from pipelines.core.text import split_sentences

KINDS = ("new_headline", "furniture", "trim_end", "reorder_end", "word_edits", "related_stories", "syndicated")

_SITES = ("The Courier", "Daily Ledger", "Northern Post", "Metro Wire", "Evening Star", "City Herald")
_BYLINES = ("By Staff Reporter", "By our correspondent", "By Jane Holt, Business Desk", "From wire reports")
_REMOVED_FURNITURE = (
    "Advertisement",
    "Share this article",
    "Follow us on Twitter",
    "3 min read",
    "Sign up for our daily newsletter",
    "Story continues below advertisement",
)
_KEPT_FURNITURE = (
    "Updated 14:32 GMT",
    "© 2005 {site}. All rights reserved.",
    "This story was first published by {site}.",
    "Additional reporting by agencies.",
    "Have your say on this story at {site} online.",
)
_RELATED_HEADINGS = ("Related stories", "More on this story", "Elsewhere on {site}", "In other news")
_HEADLINE_FORMS = ("UPDATE: {title}", "{title} - report", "{lead}", "{title}, officials say", "Analysis: {lead}")
# House-style edits a sub-editor makes: one word for another, spelling conventions, numbers.
_SUBSTITUTIONS = {
    "said": "says",
    "says": "said",
    "told": "informed",
    "but": "however",
    "also": "additionally",
    "about": "around",
    "more": "further",
    "big": "large",
    "firm": "company",
    "company": "firm",
    "government": "administration",
    "per": "a",
    "cent": "percent",
    "organisation": "organization",
    "programme": "program",
    "labour": "labor",
    "favour": "favor",
    "centre": "center",
    "shares": "stock",
    "minister": "secretary",
}
_WORD = re.compile(r"\S+")


@dataclass(frozen=True)
class Source:
    """One original article: where it came from (`key`, e.g. business/001), its topic folder, headline and
    body paragraphs."""

    key: str
    folder: str
    title: str
    paragraphs: tuple[str, ...]

    @property
    def text(self) -> str:
        return self.title + "\n\n" + "\n\n".join(self.paragraphs) + "\n"

    @property
    def word_total(self) -> int:
        return sum(len(p.split()) for p in self.paragraphs)


@dataclass(frozen=True)
class Variant:
    source_key: str
    kind: str
    text: str
    shared: float  # fraction of the original body's words kept unchanged
    edits: tuple[str, ...]


def parse_source(key: str, folder: str, text: str) -> Source:
    """A corpus file: headline line, blank line, paragraphs separated by blank lines."""
    title, _, body = text.strip().partition("\n")
    paragraphs = tuple(p.strip() for p in re.split(r"\n\s*\n", body.strip()) if p.strip())
    return Source(key, folder, title.strip(), paragraphs)


class VariantMaker:
    """Makes variants with one seeded random generator, so the same seed gives the same labelled set."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def make(self, source: Source, kind: str, others: list[Source]) -> Variant:
        """A variant of `source` of the given kind; `others` (other articles of its folder) supply the
        headlines of a related-stories list."""
        site = _SITES[hash_index(source.folder, len(_SITES))]
        paragraphs = list(source.paragraphs)
        title = source.title
        edits: list[str] = []
        lost = 0
        if kind in ("new_headline", "syndicated"):
            title = self._headline(source)
            edits.append("headline")
        if kind in ("trim_end", "syndicated"):
            paragraphs, dropped = self._trim(paragraphs, source.word_total)
            lost += dropped
            edits.append(f"dropped the last {dropped} word(s)")
        if kind == "reorder_end" and len(paragraphs) > 2:
            moved = paragraphs.pop(self.rng.randrange(1, len(paragraphs) - 1))
            paragraphs.append(moved)
            edits.append("moved a paragraph to the end")
        elif kind == "reorder_end" and len(paragraphs) == 2:
            paragraphs.reverse()
            edits.append("swapped the two paragraphs")
        if kind in ("word_edits", "syndicated"):
            rate = self.rng.uniform(0.01, 0.04) if kind == "word_edits" else self.rng.uniform(0.005, 0.02)
            paragraphs, changed = self._edit_words(paragraphs, rate)
            lost += changed
            edits.append(f"{changed} word(s) edited")
        if kind in ("related_stories", "syndicated"):
            paragraphs = paragraphs + self._related(site, source, others)
            edits.append("related stories")
        if kind in ("furniture", "syndicated"):
            paragraphs = self._dress(site, paragraphs)
            edits.append(f"furniture of {site}")
        text = title + "\n\n" + "\n\n".join(paragraphs) + "\n"
        shared = 1.0 - lost / max(1, source.word_total)
        return Variant(source.key, kind, text, round(shared, 4), tuple(edits))

    def _headline(self, source: Source) -> str:
        lead_words = source.paragraphs[0].split()[:9] if source.paragraphs else source.title.split()
        lead = " ".join(lead_words).rstrip(".,;:")
        form = self.rng.choice(_HEADLINE_FORMS)
        return form.format(title=source.title, lead=lead)

    def _trim(self, paragraphs: list[str], total: int) -> tuple[list[str], int]:
        """Cut the end for length: whole last paragraphs, then last sentences, up to a random 5-30% of
        the words, and at least the last sentence."""
        budget = self.rng.uniform(0.05, 0.3) * total
        kept = list(paragraphs)
        dropped = 0
        while len(kept) > 1 and dropped + len(kept[-1].split()) <= budget:
            dropped += len(kept.pop().split())
        sentences = split_sentences(kept[-1])
        while len(sentences) > 1 and (dropped == 0 or dropped + len(sentences[-1].split()) <= budget):
            dropped += len(sentences.pop().split())
        kept[-1] = " ".join(sentences)
        return kept, dropped

    def _edit_words(self, paragraphs: list[str], rate: float) -> tuple[list[str], int]:
        changed = 0
        out = []
        for paragraph in paragraphs:
            tokens = _WORD.findall(paragraph)
            for i, token in enumerate(tokens):
                if self.rng.random() >= rate:
                    continue
                bare = token.strip(".,;:\"'()").lower()
                if bare in _SUBSTITUTIONS:
                    tokens[i] = token.replace(bare, _SUBSTITUTIONS[bare]) if bare in token else _SUBSTITUTIONS[bare]
                elif any(ch.isdigit() for ch in token):
                    tokens[i] = token.replace("%", " per cent").replace("m", " million", 1)
                else:
                    tokens[i] = "" if self.rng.random() < 0.5 else token + "s"
                changed += tokens[i] != token
            out.append(" ".join(t for t in tokens if t))
        return [p for p in out if p], changed

    def _related(self, site: str, source: Source, others: list[Source]) -> list[str]:
        pool = [o.title for o in others if o.key != source.key]
        titles = self.rng.sample(pool, k=min(len(pool), self.rng.randint(3, 5)))
        heading = self.rng.choice(_RELATED_HEADINGS).format(site=site)
        return [heading + "\n" + "\n".join(titles)]

    def _dress(self, site: str, paragraphs: list[str]) -> list[str]:
        """The site's furniture: byline and an updated line on top, removable lines between paragraphs,
        the site's footer lines at the end. The same site always adds the same lines."""
        template = random.Random(site)
        byline = template.choice(_BYLINES)
        inline = template.sample(_REMOVED_FURNITURE, k=3)
        footer = [line.format(site=site) for line in template.sample(_KEPT_FURNITURE, k=3)]
        out = [f"{byline}\n{footer[0]}"]
        for i, paragraph in enumerate(paragraphs):
            out.append(paragraph)
            if i < len(inline) and i < len(paragraphs) - 1:
                out.append(inline[i])
        out.append("\n".join(footer[1:]))
        return out


def hash_index(text: str, modulo: int) -> int:
    """A stable small number for a string (Python's hash() changes between processes)."""
    return sum(text.encode("utf-8")) % modulo
