"""The dates a series rule gives."""

from datetime import date

import pytest

from surgeries import errors
from surgeries.recurrence import Rule, rule_dates, with_exceptions

SATURDAY, TUESDAY = 5, 1


def test_monthly_second_saturday_gives_that_saturday_of_each_month():
    rule = Rule("monthly", 1, SATURDAY, 2, count=4)

    assert rule_dates(rule, after=date(2026, 9, 12), most=52) == [
        date(2026, 10, 10),
        date(2026, 11, 14),
        date(2026, 12, 12),
        date(2027, 1, 9),
    ]


def test_monthly_last_saturday():
    assert rule_dates(Rule("monthly", 1, SATURDAY, -1, count=2), after=date(2026, 9, 1), most=52) == [
        date(2026, 9, 26),
        date(2026, 10, 31),
    ]


def test_every_two_weeks_counts_from_the_first_day():
    rule = Rule("weekly", 2, TUESDAY, until=date(2026, 11, 10))

    assert rule_dates(rule, after=date(2026, 10, 6), most=52) == [
        date(2026, 10, 20),
        date(2026, 11, 3),
    ]


def test_rule_with_no_date_is_refused():
    rule = Rule("weekly", 1, TUESDAY, until=date(2026, 10, 7))

    with pytest.raises(errors.DayError, match="This rule gives no dates after 6 October 2026"):
        rule_dates(rule, after=date(2026, 10, 6), most=52)


def test_rule_with_more_than_the_most_dates_is_refused():
    rule = Rule("weekly", 1, TUESDAY, until=date(2028, 1, 1))

    with pytest.raises(errors.DayError, match="more than 52 dates"):
        rule_dates(rule, after=date(2026, 10, 6), most=52)


def test_exceptions_skip_and_move_dates_in_date_order():
    dates = [date(2026, 10, 10), date(2026, 11, 14), date(2026, 12, 12)]

    held = with_exceptions(dates, {date(2026, 11, 14): None, date(2026, 10, 10): date(2026, 12, 19)})

    assert held == [(date(2026, 12, 12), date(2026, 12, 12)), (date(2026, 10, 10), date(2026, 12, 19))]


def test_rule_describes_itself_in_plain_english():
    assert Rule("monthly", 1, SATURDAY, 2, count=6).describe() == "Every month on the second Saturday, 6 dates"
    assert (
        Rule("weekly", 2, TUESDAY, until=date(2027, 3, 2)).describe() == "Every 2 weeks on Tuesday, until 2 March 2027"
    )
