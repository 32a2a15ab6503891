"""The dates a series rule gives, worked out with python-dateutil's rrule on the
local calendar (dates, not instants), so a day at 10:00 stays at 10:00 at its
venue whatever the clocks do in between. No database here.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time
from itertools import islice

from dateutil import rrule

from surgeries import errors

WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
ORDINALS = {1: "first", 2: "second", 3: "third", 4: "fourth", -1: "last"}


@dataclass(frozen=True)
class Rule:
    """A rule of a series. Monthly on the second Saturday, six times, is
    Rule("monthly", 1, 5, 2, count=6); every two weeks on Tuesday until a date is
    Rule("weekly", 2, 1, until=...)."""

    frequency: str  # "monthly" or "weekly"
    interval: int
    weekday: int  # Monday is 0
    week_of_month: int | None = None  # 1 to 4, or -1 for the last; monthly only
    count: int | None = None
    until: date | None = None

    def describe(self) -> str:
        day = WEEKDAY_NAMES[self.weekday]
        if self.frequency == "monthly":
            every = "every month" if self.interval == 1 else f"every {self.interval} months"
            text = f"{every.capitalize()} on the {ORDINALS[self.week_of_month]} {day}"
        else:
            every = "every week" if self.interval == 1 else f"every {self.interval} weeks"
            text = f"{every.capitalize()} on {day}"
        if self.count:
            return f"{text}, {self.count} dates"
        return f"{text}, until {self.until:%-d %B %Y}"


def rule_dates(rule: Rule, *, after: date, most: int) -> list[date]:
    """The rule's dates strictly after `after`, the first from the week or month of
    `after` on. Refuses a rule with no date, or with more than `most`."""
    if rule.frequency == "monthly":
        weekday = WEEKDAYS[rule.weekday](rule.week_of_month)
        frequency = rrule.MONTHLY
    else:
        weekday = WEEKDAYS[rule.weekday]
        frequency = rrule.WEEKLY
    until = datetime.combine(rule.until, time()) if rule.until else None
    occurrences = rrule.rrule(
        frequency, dtstart=datetime.combine(after, time()), interval=rule.interval, byweekday=weekday, until=until
    )
    later = (moment.date() for moment in occurrences if moment.date() > after)
    dates = list(islice(later, min(rule.count, most + 1) if rule.count else most + 1))
    if not dates:
        raise errors.DayError(
            f"This rule gives no dates after {after:%-d %B %Y}. Choose a later end date or another day of the week."
        )
    if len(dates) > most:
        raise errors.DayError(
            f"This rule gives more than {most} dates. Choose an earlier end date or fewer dates: "
            f"a series can have at most {most}."
        )
    return dates


def with_exceptions(dates: Iterable[date], exceptions: Mapping[date, date | None]) -> list[tuple[date, date]]:
    """Pairs of (the rule's date, the date it is held), skipped dates left out,
    in order of the date held."""
    held = [(on, exceptions.get(on, on)) for on in dates]
    return sorted(((on, to) for on, to in held if to is not None), key=lambda pair: pair[1])
