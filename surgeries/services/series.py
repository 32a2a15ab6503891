"""Series of days: one rule, many dates, each a draft day of its own.

Only future drafts ever follow the series: a day that is published, cancelled or
over belongs to the people coming to it, and is changed (or cancelled) on its own
page like any other day.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone

from people.models import User
from people.selectors import is_organiser
from surgeries import errors
from surgeries.models import MAX_SERIES_DATES, DaySeries, SeriesException, SurgeryDay
from surgeries.recurrence import Rule, rule_dates, with_exceptions
from surgeries.services.copies import check_date_to_come, copy_day_to, local_date, shift_to


def rule_of(series: DaySeries) -> Rule:
    return Rule(
        frequency=series.frequency,
        interval=series.interval,
        weekday=series.weekday,
        week_of_month=series.week_of_month,
        count=series.count,
        until=series.until,
    )


def _exceptions(series: DaySeries | None) -> dict[date, date | None]:
    if series is None:
        return {}
    return dict(series.exceptions.values_list("on", "moved_to"))


def series_dates(
    *, source: SurgeryDay, rule: Rule, series: DaySeries | None = None, now: datetime | None = None
) -> list[tuple[date, date]]:
    """The (rule date, date held) pairs of a rule still to come, exceptions applied.

    Dates before the source day, or already started, are left out; a rule that
    leaves none, or gives more than MAX_SERIES_DATES, is refused.
    """
    now = now or timezone.now()
    pairs = with_exceptions(rule_dates(rule, after=local_date(source), most=MAX_SERIES_DATES), _exceptions(series))
    to_come = [(on, held) for on, held in pairs if shift_to(source, held)(source.starts_at) > now]
    if not to_come:
        raise errors.DayError("Every date this rule gives has already passed. Choose a later end date.")
    return to_come


def series_may_change(day: SurgeryDay, now: datetime | None = None) -> bool:
    """The days a series may change: drafts still to come."""
    return day.status == SurgeryDay.Status.DRAFT and day.starts_at > (now or timezone.now())


def _require_organiser(*, by: User, day: SurgeryDay) -> None:
    if not is_organiser(user=by, organisation=day.organisation):
        raise errors.NotAllowed()


@transaction.atomic
def series_create(*, day: SurgeryDay, by: User, rule: Rule) -> DaySeries:
    """Make a series from `day`: one draft copy of it on each date of the rule.

    All or nothing: if any date cannot be made, no series and no day is saved.
    """
    _require_organiser(by=by, day=day)
    pairs = series_dates(source=day, rule=rule)
    series = DaySeries(organisation=day.organisation, source_day=day, **vars(rule))
    series.full_clean()
    series.save()
    for on, held in pairs:
        copy_day_to(source=day, on=held, by=by, series=series, series_date=on)
    return series


@dataclass
class SeriesPlan:
    """What changing a series' rule would do to its future drafts."""

    rule: Rule
    add: list[tuple[date, date]] = field(default_factory=list)
    remove: list[SurgeryDay] = field(default_factory=list)
    kept: list[SurgeryDay] = field(default_factory=list)


def series_plan(*, series: DaySeries, rule: Rule, now: datetime | None = None) -> SeriesPlan:
    """Dates the new rule adds, future drafts it removes, and days it leaves alone."""
    now = now or timezone.now()
    wanted = dict(series_dates(source=series.source_day, rule=rule, series=series, now=now))
    plan = SeriesPlan(rule=rule)
    made = set()
    for day in series.days.select_related("venue").order_by("starts_at"):
        made.add(day.series_date)
        if series_may_change(day, now) and day.series_date not in wanted:
            plan.remove.append(day)
        else:
            plan.kept.append(day)
    plan.add = sorted(((on, held) for on, held in wanted.items() if on not in made), key=lambda pair: pair[1])
    return plan


def _delete_drafts(days: list[SurgeryDay]) -> None:
    for day in days:
        try:
            day.delete()
        except ProtectedError as error:
            raise errors.DayError(
                f"The draft on {local_date(day):%-d %B %Y} has workshop facilitators. "
                "Remove them from its workshops first."
            ) from error


def _lock(series: DaySeries) -> DaySeries:
    return DaySeries.objects.select_for_update().select_related("source_day__venue").get(pk=series.pk)


@transaction.atomic
def series_update(*, series: DaySeries, by: User, rule: Rule) -> SeriesPlan:
    """Change the rule: future drafts it no longer gives are deleted and new dates
    are made; published, cancelled and past days are left as they are."""
    series = _lock(series)
    _require_organiser(by=by, day=series.source_day)
    plan = series_plan(series=series, rule=rule)
    _delete_drafts(plan.remove)
    for name, value in vars(rule).items():
        setattr(series, name, value)
    series.full_clean()
    series.save()
    for on, held in plan.add:
        copy_day_to(source=series.source_day, on=held, by=by, series=series, series_date=on)
    return plan


def _changeable_day(series: DaySeries, on: date, *, action: str) -> SurgeryDay | None:
    """The series' day for the rule date `on`, if it may still follow the series."""
    if on not in rule_dates(rule_of(series), after=local_date(series.source_day), most=MAX_SERIES_DATES):
        raise errors.DayError(f"{on:%-d %B %Y} is not one of this series' dates.")
    day = series.days.filter(series_date=on).first()
    if day is not None and not series_may_change(day):
        raise errors.DayError(
            f"The day on {local_date(day):%-d %B %Y} is published, cancelled or over, so the series "
            f"cannot {action} it. Change or cancel it on its own page, so everyone coming is told."
        )
    return day


@transaction.atomic
def series_skip(*, series: DaySeries, by: User, on: date) -> None:
    """Leave the rule's date `on` out: its draft, if any, is deleted."""
    series = _lock(series)
    _require_organiser(by=by, day=series.source_day)
    day = _changeable_day(series, on, action="skip")
    SeriesException.objects.update_or_create(series=series, on=on, defaults={"moved_to": None})
    if day is not None:
        _delete_drafts([day])


@transaction.atomic
def series_move(*, series: DaySeries, by: User, on: date, to: date) -> SurgeryDay:
    """Hold the rule's date `on` on `to` instead. Its draft is made again from the
    series' first day on the new date, like every date of the series."""
    series = _lock(series)
    source = series.source_day
    _require_organiser(by=by, day=source)
    day = _changeable_day(series, on, action="move")
    check_date_to_come(source, to)
    others = {local_date(other) for other in series.days.select_related("venue").exclude(series_date=on)}
    if to in others or to == local_date(source):
        raise errors.DayError(f"This series already has a day on {to:%-d %B %Y}. Choose another date.")
    SeriesException.objects.update_or_create(series=series, on=on, defaults={"moved_to": to})
    if day is not None:
        _delete_drafts([day])
    return copy_day_to(source=source, on=to, by=by, series=series, series_date=on).day


def series_drafts_to_refresh(series: DaySeries, now: datetime | None = None) -> list[SurgeryDay]:
    """The future drafts "Bring drafts up to date" would make again from the first day."""
    days = series.days.exclude(pk=series.source_day_id).select_related("venue").order_by("starts_at")
    return [day for day in days if series_may_change(day, now)]


@transaction.atomic
def series_refresh(*, series: DaySeries, by: User) -> list[SurgeryDay]:
    """Make every future draft again from the series' first day, each on its own date.

    How details changed on the first day (times, venue, session length, wording)
    reach the dates still to come; published, cancelled and past days keep theirs.
    """
    series = _lock(series)
    source = series.source_day
    _require_organiser(by=by, day=source)
    drafts = series_drafts_to_refresh(series)
    held = [(day.series_date, local_date(day)) for day in drafts]
    _delete_drafts(drafts)
    return [
        copy_day_to(source=source, on=on_date, by=by, series=series, series_date=rule_date).day
        for rule_date, on_date in held
    ]
