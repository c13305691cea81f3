"""Publication dates from the text itself, and never a guess.

A line counts as a date line only when the whole line is a date (optionally "Published"/"Updated", a
weekday and a time): "29 December, 2020", "Tuesday 3 March 2020 10:32 GMT", "2020-12-29". A date
buried in a sentence ("The Kremlin said on Feb. 11…") is an event date, not the publication date.
Day, month and year must all be present; dateutil fills missing parts from a default, which is how
pipelines end up stamping today's date on undated articles.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from dateutil import parser as dateutil_parser

_MONTHS = (
    "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    "sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
_WEEKDAYS = "mon(?:day)?|tue(?:s(?:day)?)?|wed(?:nesday)?|thu(?:rs(?:day)?)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?"
_PREFIX = r"(?:(?:published|updated|posted|last updated|date)\s*(?:on|at)?\s*:?\s*)?"
_WEEKDAY = rf"(?:(?:{_WEEKDAYS})\.?,?\s+)?"
_TIME = (
    r"(?:[,\s]+(?:at\s+)?\d{1,2}[:.]\d{2}(?::\d{2})?\s*(?:am|pm|a\.m\.|p\.m\.)?\s*(?:[a-z]{2,5}|[+-]\d{2}:?\d{2})?)?"
)
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_YEAR = r"(?:19|20)\d{2}"

_DATE_LINE = re.compile(
    rf"^{_PREFIX}{_WEEKDAY}(?:"
    rf"{_DAY}\s+(?:{_MONTHS})\.?,?\s+{_YEAR}"  # 29 December, 2020
    rf"|(?:{_MONTHS})\.?\s+{_DAY},?\s+{_YEAR}"  # December 29, 2020
    rf"|{_YEAR}-\d{{2}}-\d{{2}}(?:[t\s]\d{{2}}:\d{{2}}(?::\d{{2}})?(?:\.\d+)?(?:z|[+-]\d{{2}}:?\d{{2}})?)?"  # ISO
    rf"){_TIME}\s*$",
    re.IGNORECASE,
)

_EARLIEST = datetime(1900, 1, 1)
# A time of day in a written date: "10:32", ISO's "T10", "10.32 pm" (not "29.12", a day and a month).
_TIME_OF_DAY = re.compile(r"(?<![\d.])\d{1,2}:\d{2}|T\d{2}|\d{1,2}\.\d{2}\s*(?:am|pm|a\.m\.|p\.m\.)", re.IGNORECASE)
DAY, TIME = "day", "time"


def date_precision(raw: object) -> str:
    """'time' when a stated date gives the time of day, else 'day': a date alone is stored as 00:00 of
    that day, and articles.published_precision says so (nobody wrote midnight)."""
    if isinstance(raw, datetime) or (isinstance(raw, int | float) and not isinstance(raw, bool)):
        return TIME
    if isinstance(raw, date):
        return DAY
    return TIME if _TIME_OF_DAY.search(str(raw)) else DAY


def _plausible(value: datetime, now: datetime | None) -> bool:
    now = now or datetime.now(UTC).replace(tzinfo=None)
    return _EARLIEST <= value <= now + timedelta(days=1)


def to_utc_naive(value: datetime) -> datetime:
    """Warehouse timestamps are naive UTC: aware values are converted, naive ones taken as UTC."""
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def parse_date_line(line: str, now: datetime | None = None) -> datetime | None:
    """The date stated by a line that is nothing but a date, else None."""
    candidate = line.strip().rstrip(".")
    if len(candidate) > 60 or not _DATE_LINE.match(candidate):
        return None
    cleaned = re.sub(r"^(published|updated|posted|last updated|date)\s*(on|at)?\s*:?\s*", "", candidate, flags=re.I)
    try:
        value = dateutil_parser.parse(cleaned, dayfirst=True, fuzzy=False)
    except (ValueError, OverflowError):
        return None
    value = to_utc_naive(value)
    return value if _plausible(value, now) else None


def parse_date_value(raw: object, now: datetime | None = None) -> datetime | None:
    """A structured date field (JSONL 'published', HTML metadata): ISO or a full written date, else None."""
    if raw is None:
        return None
    if isinstance(raw, int | float) and not isinstance(raw, bool):
        try:
            value = datetime.fromtimestamp(float(raw), UTC).replace(tzinfo=None)
        except (OverflowError, OSError, ValueError):
            return None
        return value if _plausible(value, now) else None
    text = str(raw).strip()
    if not text:
        return None
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return parse_date_line(text, now)
    value = to_utc_naive(value)
    return value if _plausible(value, now) else None
