"""The register of an article: news, or a kind of writing whose action verbs are not political events.

A football report says "United attacked down the left", "Chelsea beat Arsenal", "he shot wide"; a film
review "the critics praised"; a technology report "the virus attacked", "hijacked a million PCs",
"Intel bans camera phones". Read word by word these are ASSAULT, SUPPORT and COERCE events, and GDELT-like
systems count them. The register is read once per article from cue words (rules/events/registers.yaml):
when sport, entertainment, business or technology cues make up a set share of the words and outnumber
the politics cues, the coder keeps only events with a participant of a political sector (police,
government, military…).
"""

from __future__ import annotations

import itertools

from spacy.tokens import Doc

from pipelines.core.events.lexicon import Lexicon
from pipelines.core.events.syntax import lemma_of

NEWS = "news"


def article_register(doc: Doc, lexicon: Lexicon) -> str:
    """ "news", or the name of the non-political register ("sport", "technology", …) the article is in."""
    words = [lemma_of(t) for t in doc if t.is_alpha]
    if not words:
        return NEWS
    counts = dict.fromkeys(lexicon.registers, 0)
    pairs = (f"{a} {b}" for a, b in itertools.pairwise(words))
    for key in itertools.chain(words, pairs):
        for name, cues in lexicon.registers.items():
            if key in cues:
                counts[name] += 1
    politics = counts.pop("politics")
    name, hits = max(counts.items(), key=lambda item: item[1], default=(NEWS, 0))
    enough = max(lexicon.register_share * len(words), lexicon.register_min_cues)
    return name if hits >= enough and hits > politics else NEWS
