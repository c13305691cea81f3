"""Bylines as names: labels, accounts and run-in dates taken out (rules: cleaning.yaml, `bylines`).

Extractors read a byline from whatever the markup calls the author: "Username" (a login form), "Authority
control" (an encyclopedia's navigation box), "作者" (the label itself), "Jeff Foust Monday; November" (the
date beside the name). Those are not authors; a wrong byline is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from pipelines.core import packaged_yaml


@dataclass(frozen=True)
class BylineRules:
    max_words: int
    not_names: frozenset[str]
    account: re.Pattern[str]
    leading: re.Pattern[str]
    trailing: re.Pattern[str]


@cache
def byline_rules() -> BylineRules:
    data = packaged_yaml.load(resources.files("pipelines.core.rules").joinpath("cleaning.yaml").read_text("utf-8"))
    rules = data["bylines"]

    def alternatives(words: list[str]) -> str:
        return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))

    return BylineRules(
        max_words=int(rules["max_words"]),
        not_names=frozenset(str(n).casefold() for n in rules["not_names"]),
        account=re.compile(rules["account_pattern"], re.IGNORECASE),
        leading=re.compile(rf"^(?:{alternatives(rules['leading_labels'])})\s*[:：]?\s+", re.IGNORECASE),
        trailing=re.compile(rf"(?:(?:^|[\s,]+)(?:{alternatives(rules['trailing_words'])}))+\s*$", re.IGNORECASE),
    )


def clean_byline(raw: str | None, rules: BylineRules | None = None) -> str | None:
    """The names of a byline ("A; B"), or None when none of it is a name."""
    if not raw or not raw.strip():
        return None
    rules = rules or byline_rules()
    names: list[str] = []
    for part in re.split(r"\s*;\s*", raw.strip()):
        name = rules.trailing.sub("", rules.leading.sub("", part)).strip(" ,:：")
        if name.casefold() in rules.not_names:
            continue
        if not any(ch.isalpha() for ch in name) or rules.account.fullmatch(name):
            continue
        if len(name.split()) > rules.max_words or name in names:
            continue
        names.append(name)
    return "; ".join(names) or None
