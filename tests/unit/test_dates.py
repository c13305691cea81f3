from datetime import datetime

import pytest

from pipelines.core.dates import parse_date_line, parse_date_value

NOW = datetime(2026, 11, 21, 12, 0)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("29 December, 2020", datetime(2020, 12, 29)),
        ("December 29, 2020", datetime(2020, 12, 29)),
        ("Tuesday 3 March 2020 10:32 GMT", datetime(2020, 3, 3, 10, 32)),
        ("Published: 5 Jan 2021", datetime(2021, 1, 5)),
        ("2020-12-29", datetime(2020, 12, 29)),
        ("Mon, 3 Feb 2020 08:15 +0100", datetime(2020, 2, 3, 7, 15)),
    ],
)
def test_date_lines(line: str, expected: datetime) -> None:
    assert parse_date_line(line, NOW) == expected


@pytest.mark.parametrize(
    "line",
    [
        "May",
        "Sunday",
        "2 min read",
        "Updated 12:30",
        "The Kremlin said on Feb. 11 that it would",
        "31 December 2999",
        "12/11/2020",
    ],
)
def test_not_a_publication_date(line: str) -> None:
    # Partial dates would be completed with today's date by a lenient parser: never.
    assert parse_date_line(line, NOW) is None


def test_structured_values() -> None:
    assert parse_date_value("2021-03-04T05:06:07+02:00", NOW) == datetime(2021, 3, 4, 3, 6, 7)
    assert parse_date_value("Thu, 02 Jan 2025 10:00:00 GMT", NOW) == datetime(2025, 1, 2, 10)
    assert parse_date_value(None, NOW) is None
    assert parse_date_value("soon", NOW) is None
    assert parse_date_value("2030-01-01", NOW) is None  # in the future: a wrong date, not a scoop
