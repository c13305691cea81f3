"""Event dates: the date expression of an event's clause, resolved against the article's publication date.

Only dates that the text fixes to a day are resolved: "on Sunday", "yesterday", "15 September", "Dec. 29,
2020". A weekday or a date without a year needs the publication date; without one it stays NULL rather
than being guessed (most seed articles state no date). A weekday is read in the direction of the verb's
tense: "will meet on Tuesday" is the next Tuesday, "said on Sunday" the last one, and the publication
day itself in both cases (news writes "on Tuesday" for today too). Vague expressions ("last week", "in
December", "the same day") stay NULL.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_WEEKDAY_ABBR = {day[:3]: i for i, day in enumerate(WEEKDAYS)} | {"tues": 1, "thur": 3, "thurs": 3}
MONTHS = {
    m: i + 1
    for i, names in enumerate(
        (
            "january jan",
            "february feb",
            "march mar",
            "april apr",
            "may",
            "june jun",
            "july jul",
            "august aug",
            "september sep sept",
            "october oct",
            "november nov",
            "december dec",
        )
    )
    for m in names.split()
}
_RELATIVE_DAYS = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}
_PARTS_OF_DAY = r"(?:\s+(?:morning|afternoon|evening|night))?"
_MONTH = r"(?P<month>[a-z]{3,9})\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d{2}))?"
_DAY_MONTH = re.compile(rf"^{_DAY}\s+(?:of\s+)?{_MONTH}{_YEAR}$")
_MONTH_DAY = re.compile(rf"^{_MONTH}\s+{_DAY}{_YEAR}$")
_ISO = re.compile(r"^(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})$")
_NOISE = re.compile(r"^(?:on|late|early|last|this|the|by|since|until|from)\s+")


def _normalise(text: str) -> str:
    value = " ".join(text.lower().replace(",", " ").split())
    previous = None
    while previous != value:
        previous, value = value, _NOISE.sub("", value)
    return re.sub(rf"{_PARTS_OF_DAY}$", "", value).strip()


def _weekday(value: str) -> int | None:
    if value in WEEKDAYS:
        return WEEKDAYS.index(value)
    return _WEEKDAY_ABBR.get(value.rstrip("."))


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _month_day(match: re.Match[str], published: date | None, future: bool) -> date | None:
    month = MONTHS.get(match["month"])
    if month is None:
        return None
    day = int(match["day"])
    if match["year"]:
        return _safe_date(int(match["year"]), month, day)
    if published is None:
        return None
    resolved = _safe_date(published.year, month, day)
    if resolved is None:
        return None
    if future and resolved < published:
        return _safe_date(published.year + 1, month, day)
    if not future and resolved > published:
        return _safe_date(published.year - 1, month, day)
    return resolved


def resolve_date(expression: str, published: date | None, future: bool = False) -> date | None:
    """The day `expression` names, read relative to `published` in the direction of the tense; else None."""
    value = _normalise(expression)
    if value in _RELATIVE_DAYS:
        return published + timedelta(days=_RELATIVE_DAYS[value]) if published else None
    weekday = _weekday(value)
    if weekday is not None:
        if published is None:
            return None
        delta = (weekday - published.weekday()) % 7
        return published + timedelta(days=delta) if future else published - timedelta(days=(-delta) % 7)
    if match := _ISO.match(value):
        return _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
    for pattern in (_DAY_MONTH, _MONTH_DAY):
        if match := pattern.match(value):
            return _month_day(match, published, future)
    return None
