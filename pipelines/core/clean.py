"""Plain-text article cleaning: headline, standfirst, date line, dateline, furniture, paragraphs.

The rules are data (rules/cleaning.yaml); this module only knows the *shape* of a news text:

    headline            first line (unless it reads like body text, as in seed 004)
    [headline again]    many sites print it twice
    [standfirst]        one short summary sentence, kept apart in articles.standfirst
    [furniture/date]    "2 min read", "29 December, 2020", a photo caption, "block"
    [dateline]          "Reuters, Moscow :" or "MOSCOW (Reuters) -"
    body paragraphs     furniture lines removed anywhere, related-links lists cut at the end

Every removed line is returned with the rule that removed it, so a wrong removal can be traced.
Paragraphs come back separated by a blank line: NLP must never see two paragraphs as one sentence
(seed 000 otherwise yields the entity "Ain Isa\\n\\nRussia").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from importlib import resources
from typing import Any

from pipelines.core import packaged_yaml
from pipelines.core.dates import date_precision, parse_date_line
from pipelines.core.text import comparable, normalize_text, split_sentences, word_count

_TERMINAL = re.compile(r"[.!?…\"”’»)]$")


class CleanError(ValueError):
    """The text holds no article once cleaned; the message says what was found instead."""


@dataclass(frozen=True)
class _Rule:
    name: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Rules:
    furniture: tuple[_Rule, ...]
    edge_furniture: tuple[_Rule, ...]
    edge_lines: int
    trailing: tuple[_Rule, ...]
    trailing_max_words: int
    standalone_datelines: tuple[_Rule, ...]
    inline_datelines: tuple[_Rule, ...]
    headline_max_words: int
    first_sentence_max_words: int
    standfirst_max_words: int
    header_lines: int

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Rules:
        agency = "|".join(re.escape(a) for a in sorted(data["agencies"], key=len, reverse=True))

        def compile_all(entries: list[dict[str, str]], *, anchored: bool = True) -> tuple[_Rule, ...]:
            rules = []
            for entry in entries:
                pattern = entry["pattern"].replace("{agency}", agency)
                pattern = rf"(?:{pattern})$" if anchored else pattern
                rules.append(_Rule(entry["name"], re.compile(pattern, re.IGNORECASE)))
            return tuple(rules)

        return cls(
            furniture=compile_all(data["furniture"]),
            edge_furniture=compile_all(data["edge_furniture"]),
            edge_lines=int(data["edge_lines"]),
            trailing=compile_all(data["trailing_blocks"]["rules"]),
            trailing_max_words=int(data["trailing_blocks"]["max_words_per_line"]),
            standalone_datelines=compile_all(data["datelines"]["standalone"]),
            # Inline datelines are prefixes; uppercase matters there ("MOSCOW (Reuters) -").
            inline_datelines=tuple(
                _Rule(e["name"], re.compile(e["pattern"].replace("{agency}", agency)))
                for e in data["datelines"]["inline"]
            ),
            headline_max_words=int(data["headline"]["max_words"]),
            first_sentence_max_words=int(data["headline"]["first_sentence_max_words"]),
            standfirst_max_words=int(data["standfirst"]["max_words"]),
            header_lines=int(data["standfirst"]["header_lines"]),
        )


@cache
def default_rules() -> Rules:
    text = resources.files("pipelines.core.rules").joinpath("cleaning.yaml").read_text("utf-8")
    return Rules.from_mapping(packaged_yaml.load(text))


@dataclass
class Cleaned:
    title: str | None
    title_source: str | None
    text: str
    standfirst: str | None = None
    dateline: str | None = None
    agency: str | None = None
    published_at: datetime | None = None
    published_precision: str | None = None
    removed: list[tuple[str, str]] = field(default_factory=list)


def _match(rules: tuple[_Rule, ...], line: str) -> _Rule | None:
    for rule in rules:
        if rule.regex.fullmatch(line):
            return rule
    return None


def _dateline(rules: tuple[_Rule, ...], line: str) -> tuple[str, str, str] | None:
    """(rule name, place, agency) when the whole line is a dateline."""
    for rule in rules:
        found = rule.regex.fullmatch(line)
        if found:
            return rule.name, found.group("place").strip(" ,"), found.group("agency")
    return None


def _looks_like_paragraph(line: str, rules: Rules) -> bool:
    return word_count(line) > rules.headline_max_words or len(split_sentences(line)) >= 2


class _Cleaner:
    def __init__(self, rules: Rules, now: datetime | None) -> None:
        self.rules = rules
        self.now = now
        self.removed: list[tuple[str, str]] = []

    def drop(self, rule: str, line: str) -> None:
        self.removed.append((rule, line))

    def is_header_item(self, line: str) -> bool:
        """Furniture, a date line or a dateline: things that sit between headline and body."""
        r = self.rules
        return bool(
            _match(r.furniture, line)
            or _match(r.edge_furniture, line)
            or parse_date_line(line, self.now)
            or _dateline(r.standalone_datelines, line)
        )

    def standfirst_like(self, line: str, following: list[str]) -> bool:
        if word_count(line) > self.rules.standfirst_max_words or len(split_sentences(line)) > 2:
            return False
        nxt = next((f for f in following if f), "")
        return (
            not _TERMINAL.search(line)
            or comparable(nxt) == comparable(line)
            or (bool(nxt) and self.is_header_item(nxt))
        )


def clean_text(
    raw: str,
    *,
    title: str | None = None,
    rules: Rules | None = None,
    now: datetime | None = None,
    extracted: bool = False,
) -> Cleaned:
    """Clean one article's plain text. `title` is given when the format carries it (HTML, JSONL).

    `extracted`: the text is a web page's body as an extractor found it, where the first paragraph is the
    lede more often than a standfirst (and a table layout can put the whole story there). A standfirst
    line is then recorded but stays in the body: the body never loses the lede."""
    rules = rules or default_rules()
    c = _Cleaner(rules, now)
    lines = [line for line in normalize_text(raw).split("\n") if line]
    if not lines:
        raise CleanError("no text at all after whitespace normalisation")

    title_source: str | None = "given" if title else None
    title = normalize_text(title).replace("\n", " ") if title else None
    i = 0
    if title is None and not _looks_like_paragraph(lines[0], rules):
        title, title_source, i = lines[0], "first_line", 1

    # Header zone: repeated headline, standfirst, furniture, date line, dateline.
    standfirst: str | None = None
    dateline = agency = None
    published_at: datetime | None = None
    published_precision: str | None = None
    standfirst_open = title is not None
    examined = 0
    while i < len(lines) and examined < rules.header_lines:
        line = lines[i]
        examined += 1
        if title and comparable(line) == comparable(title):
            c.drop("headline_repeat", line)
        elif standfirst and comparable(line) == comparable(standfirst):
            c.drop("standfirst_repeat", line)
        elif rule := _match(rules.furniture, line) or _match(rules.edge_furniture, line):
            c.drop(rule.name, line)
        elif (date := parse_date_line(line, now)) is not None:
            if published_at is None:
                published_at, published_precision = date, date_precision(line)
            c.drop("date_line", line)
        elif found := _dateline(rules.standalone_datelines, line):
            _, dateline, agency = found
            c.drop("dateline", line)
            i += 1
            break
        elif standfirst_open and c.standfirst_like(line, lines[i + 1 : i + 3]):
            standfirst, standfirst_open = line, False
        else:
            break
        standfirst_open = standfirst_open and standfirst is None
        i += 1

    body = _clean_body(c, lines[i:])
    if standfirst and extracted:
        body.insert(0, standfirst)  # recorded, and the body keeps it
    if not body and standfirst:  # a summary line with nothing under it is the body itself
        body, standfirst = [standfirst], None
    if body and dateline is None:
        for rule in rules.inline_datelines:
            found = rule.regex.match(body[0])
            if found and word_count(body[0][found.end() :]) >= 3:
                dateline, agency = found.group("place").strip(" ,"), found.groupdict().get("agency")
                c.drop("dateline", body[0][: found.end()].strip())
                body[0] = body[0][found.end() :].lstrip()
                break
    if not body:
        what = "only a headline" if title else "only furniture"
        raise CleanError(f"no body text: the file holds {what} (removed: {[r for r, _ in c.removed]})")

    if title is None:
        words = split_sentences(body[0])[0].rstrip(".").split(" ")
        cut = len(words) > rules.first_sentence_max_words  # text without sentence ends: a title, not the text
        title = " ".join(words[: rules.first_sentence_max_words]) + ("…" if cut else "")
        title_source = "first_sentence"
    return Cleaned(
        title=title,
        title_source=title_source,
        text="\n\n".join(body),
        standfirst=standfirst,
        dateline=dateline,
        agency=agency,
        published_at=published_at,
        published_precision=published_precision,
        removed=c.removed,
    )


def _clean_body(c: _Cleaner, lines: list[str]) -> list[str]:
    rules = c.rules
    kept: list[str] = []
    for line in lines:
        if rule := _match(rules.furniture, line):
            c.drop(rule.name, line)
        else:
            kept.append(line)

    # Related-links lists at the end.
    for idx, line in enumerate(kept):
        rule = _match(rules.trailing, line)
        tail = kept[idx + 1 :]
        if rule and all(word_count(t) <= rules.trailing_max_words for t in tail):
            for removed in kept[idx:]:
                c.drop(rule.name, removed)
            kept = kept[:idx]
            break

    # Section labels and tag lines at the edges only.
    for edge in (
        range(min(rules.edge_lines, len(kept))),
        range(len(kept) - 1, max(len(kept) - 1 - rules.edge_lines, -1), -1),
    ):
        for idx in edge:
            if idx < len(kept) and kept[idx] and (rule := _match(rules.edge_furniture, kept[idx])):
                c.drop(rule.name, kept[idx])
                kept[idx] = ""
    return [line for line in kept if line]
