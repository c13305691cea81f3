"""Relative and absolute day expressions, read against a publication date in the tense's direction."""

from datetime import date

import pytest

from pipelines.core.events.when import resolve_date

TUESDAY = date(2020, 12, 29)


@pytest.mark.parametrize(
    ("expression", "future", "expected"),
    [
        ("on Sunday", False, date(2020, 12, 27)),
        ("late Sunday", False, date(2020, 12, 27)),
        ("Sunday evening", False, date(2020, 12, 27)),
        ("on Sunday", True, date(2021, 1, 3)),
        ("Tuesday", False, TUESDAY),
        ("Tuesday", True, TUESDAY),
        ("yesterday", False, date(2020, 12, 28)),
        ("today", False, TUESDAY),
        ("tomorrow", True, date(2020, 12, 30)),
        ("15 September", False, date(2020, 9, 15)),
        ("Feb. 11", False, date(2020, 2, 11)),
        ("January 5", True, date(2021, 1, 5)),
        ("December 30", False, date(2019, 12, 30)),
        ("Dec. 29, 2020", False, TUESDAY),
        ("2020-12-01", False, date(2020, 12, 1)),
        ("last week", False, None),
        ("in December", False, None),
        ("the same day", False, None),
        ("February 30", False, None),
    ],
)
def test_resolve(expression: str, future: bool, expected: date | None) -> None:
    assert resolve_date(expression, TUESDAY, future) == expected


def test_without_publication_date_only_full_dates_resolve() -> None:
    assert resolve_date("on Sunday", None) is None
    assert resolve_date("15 September", None) is None
    assert resolve_date("15 September 2017", None) == date(2017, 9, 15)
