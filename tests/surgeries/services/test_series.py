"""Series of days: made all at once or not at all, kept to the venue's clock, and
changed only where the day is a draft still to come."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from surgeries import errors
from surgeries.models import Commitment, DaySeries, SeriesException, SurgeryDay
from surgeries.recurrence import Rule
from surgeries.services import (
    copies,
    day_cancel,
    day_publish,
    series_create,
    series_move,
    series_refresh,
    series_skip,
    series_update,
)
from tests.factories import SurgeryDayFactory, WorkshopFactory, facilitating, local_datetime, member, status_of
from workshops.models import Workshop

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime(2026, 9, 1, 12, tzinfo=UTC)
SATURDAY = 5
MONTHLY_SECOND_SATURDAY = Rule("monthly", 1, SATURDAY, 2, count=6)


@pytest.fixture
def source(organisation):
    """Saturday 12 September 2026, 10:00 to 15:00 in London (British Summer Time)."""
    with time_machine.travel(SEPTEMBER, tick=False):
        return SurgeryDayFactory(
            organisation=organisation,
            title="Monthly surgery",
            starts_at=local_datetime(date(2026, 9, 12), 10),
            ends_at=local_datetime(date(2026, 9, 12), 15),
        )


def _starts(series):
    return [day.starts_at for day in series.days.order_by("starts_at")]


@time_machine.travel(SEPTEMBER, tick=False)
def test_monthly_series_stays_at_ten_local_across_both_clock_changes(source, organiser):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)

    assert _starts(series) == [
        datetime(2026, 10, 10, 9, tzinfo=UTC),  # 10:00 BST
        datetime(2026, 11, 14, 10, tzinfo=UTC),  # 10:00 GMT, after the October change
        datetime(2026, 12, 12, 10, tzinfo=UTC),
        datetime(2027, 1, 9, 10, tzinfo=UTC),
        datetime(2027, 2, 13, 10, tzinfo=UTC),
        datetime(2027, 3, 13, 10, tzinfo=UTC),
    ]
    assert set(series.days.values_list("status", flat=True)) == {SurgeryDay.Status.DRAFT}


@time_machine.travel(SEPTEMBER, tick=False)
def test_fortnightly_series_across_the_march_change(organisation, organiser):
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC), tick=False):
        source = SurgeryDayFactory(
            organisation=organisation,
            starts_at=local_datetime(date(2027, 3, 16), 10),
            ends_at=local_datetime(date(2027, 3, 16), 12),
        )
        series = series_create(day=source, by=organiser, rule=Rule("weekly", 2, 1, count=2))

    assert _starts(series) == [
        datetime(2027, 3, 30, 9, tzinfo=UTC),  # 10:00 BST, after the March change
        datetime(2027, 4, 13, 9, tzinfo=UTC),
    ]


@time_machine.travel(SEPTEMBER, tick=False)
def test_each_date_is_a_day_of_its_own_with_its_own_workshops(source, organiser):
    WorkshopFactory(day=source, title="Staying safe online")

    series = series_create(day=source, by=organiser, rule=Rule("weekly", 1, SATURDAY, count=3))

    days = list(series.days.all())
    assert len({day.pk for day in days}) == 3
    assert Workshop.objects.filter(day__in=days, title="Staying safe online").count() == 3


@time_machine.travel(SEPTEMBER, tick=False)
def test_failure_half_way_leaves_no_series_and_no_day(source, organiser, monkeypatch):
    made = []
    copy_day_to = copies.copy_day_to

    def fail_on_the_third(**kwargs):
        if len(made) == 2:
            raise errors.DayError("The venue is closed that day.")
        made.append(copy_day_to(**kwargs))
        return made[-1]

    monkeypatch.setattr("surgeries.services.series.copy_day_to", fail_on_the_third)

    with pytest.raises(errors.DayError):
        series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)

    assert len(made) == 2
    assert not DaySeries.objects.exists()
    assert list(SurgeryDay.objects.all()) == [source]


@time_machine.travel(SEPTEMBER, tick=False)
def test_rules_with_no_date_or_too_many_are_refused(source, organiser):
    with pytest.raises(errors.DayError, match="no dates"):
        series_create(day=source, by=organiser, rule=Rule("monthly", 1, SATURDAY, 2, until=date(2026, 10, 1)))
    with pytest.raises(errors.DayError, match="more than 52 dates"):
        series_create(day=source, by=organiser, rule=Rule("weekly", 1, SATURDAY, until=date(2028, 1, 1)))

    assert SurgeryDay.objects.count() == 1


@time_machine.travel(SEPTEMBER, tick=False)
def test_series_from_a_past_day_makes_only_dates_to_come(organisation, organiser):
    old = SurgeryDayFactory(
        organisation=organisation,
        starts_at=local_datetime(date(2026, 7, 11), 10),
        ends_at=local_datetime(date(2026, 7, 11), 12),
    )

    series = series_create(day=old, by=organiser, rule=Rule("monthly", 1, SATURDAY, 2, count=3))

    # August's date has passed; September's and October's are still to come.
    assert _starts(series) == [datetime(2026, 9, 12, 9, tzinfo=UTC), datetime(2026, 10, 10, 9, tzinfo=UTC)]


@time_machine.travel(SEPTEMBER, tick=False)
def test_series_by_someone_who_does_not_organise_is_refused(source, other_organiser, surgeon):
    for person in (other_organiser, surgeon):
        with pytest.raises(errors.NotAllowed):
            series_create(day=source, by=person, rule=MONTHLY_SECOND_SATURDAY)

    assert not DaySeries.objects.exists()


@time_machine.travel(SEPTEMBER, tick=False)
def test_changing_the_rule_changes_future_drafts_only(source, organiser):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)
    october, november, *_ = series.days.order_by("starts_at")
    day_publish(day=october, by=organiser)
    november.title = "November, with the mayor"
    november.save()

    series_update(series=series, by=organiser, rule=Rule("monthly", 1, SATURDAY, 2, count=3))

    assert _starts(series) == [
        datetime(2026, 10, 10, 9, tzinfo=UTC),
        datetime(2026, 11, 14, 10, tzinfo=UTC),
        datetime(2026, 12, 12, 10, tzinfo=UTC),
    ]
    assert status_of(october) == SurgeryDay.Status.PUBLISHED
    assert SurgeryDay.objects.get(pk=november.pk).title == "November, with the mayor"


@time_machine.travel(SEPTEMBER, tick=False)
def test_changing_the_rule_leaves_a_published_date_it_no_longer_gives(source, organiser):
    series = series_create(day=source, by=organiser, rule=Rule("monthly", 1, SATURDAY, 2, count=2))
    october = series.days.order_by("starts_at").first()
    day_publish(day=october, by=organiser)

    series_update(series=series, by=organiser, rule=Rule("monthly", 1, SATURDAY, 3, count=2))

    assert _starts(series) == [
        datetime(2026, 9, 19, 9, tzinfo=UTC),
        datetime(2026, 10, 10, 9, tzinfo=UTC),  # published: stays on the second Saturday
        datetime(2026, 10, 17, 9, tzinfo=UTC),
    ]


@time_machine.travel(SEPTEMBER, tick=False)
def test_skip_a_date_deletes_its_draft_and_a_rule_change_does_not_bring_it_back(source, organiser):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)

    series_skip(series=series, by=organiser, on=date(2026, 12, 12))
    series_update(series=series, by=organiser, rule=Rule("monthly", 1, SATURDAY, 2, count=7))

    starts = _starts(series)
    assert datetime(2026, 12, 12, 10, tzinfo=UTC) not in starts
    assert len(starts) == 6


@time_machine.travel(SEPTEMBER, tick=False)
def test_move_one_date_keeps_the_local_time(source, organiser):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)

    moved = series_move(series=series, by=organiser, on=date(2026, 10, 10), to=date(2026, 10, 31))

    assert moved.starts_at == datetime(2026, 10, 31, 10, tzinfo=UTC)  # 10:00 GMT, the day after the change
    assert moved.series_date == date(2026, 10, 10)
    assert SeriesException.objects.get(series=series).moved_to == date(2026, 10, 31)
    assert series.days.count() == 6


@time_machine.travel(SEPTEMBER, tick=False)
def test_move_refuses_past_dates_and_dates_already_in_the_series(source, organiser):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)

    with pytest.raises(errors.DayError, match="has already passed"):
        series_move(series=series, by=organiser, on=date(2026, 10, 10), to=date(2026, 8, 1))
    with pytest.raises(errors.DayError, match="already has a day on 14 November 2026"):
        series_move(series=series, by=organiser, on=date(2026, 10, 10), to=date(2026, 11, 14))
    with pytest.raises(errors.DayError, match="is not one of this series' dates"):
        series_move(series=series, by=organiser, on=date(2026, 10, 11), to=date(2026, 10, 12))


@time_machine.travel(SEPTEMBER, tick=False)
def test_published_date_cannot_be_skipped_or_moved_by_the_series(source, organiser):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)
    october = series.days.order_by("starts_at").first()
    day_publish(day=october, by=organiser)

    with pytest.raises(errors.DayError, match="Change or cancel it on its own page"):
        series_skip(series=series, by=organiser, on=date(2026, 10, 10))
    with pytest.raises(errors.DayError, match="Change or cancel it on its own page"):
        series_move(series=series, by=organiser, on=date(2026, 10, 10), to=date(2026, 10, 17))

    assert status_of(october) == SurgeryDay.Status.PUBLISHED


@time_machine.travel(SEPTEMBER, tick=False)
def test_cancelling_one_date_cancels_only_it(source, organiser):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)
    october, november, *_ = series.days.order_by("starts_at")
    day_publish(day=october, by=organiser)
    day_publish(day=november, by=organiser)

    day_cancel(day=october, by=organiser)

    assert status_of(october) == SurgeryDay.Status.CANCELLED
    assert status_of(november) == SurgeryDay.Status.PUBLISHED
    assert series.days.filter(status=SurgeryDay.Status.DRAFT).count() == 4


@time_machine.travel(SEPTEMBER, tick=False)
def test_skip_and_move_by_someone_who_does_not_organise_are_refused(source, organiser, other_organiser):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)

    with pytest.raises(errors.NotAllowed):
        series_skip(series=series, by=other_organiser, on=date(2026, 10, 10))
    with pytest.raises(errors.NotAllowed):
        series_move(series=series, by=other_organiser, on=date(2026, 10, 10), to=date(2026, 10, 17))
    with pytest.raises(errors.NotAllowed):
        series_update(series=series, by=other_organiser, rule=Rule("weekly", 1, SATURDAY, count=2))

    assert series.days.count() == 6


@time_machine.travel(SEPTEMBER, tick=False)
def test_skipping_a_draft_whose_workshop_has_a_facilitator_is_refused_and_keeps_everything(
    source, organiser, organisation
):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)
    october = series.days.order_by("starts_at").first()
    facilitating(workshop=WorkshopFactory(day=october), person=member(organisation))

    with pytest.raises(errors.DayError, match="has workshop facilitators"):
        series_skip(series=series, by=organiser, on=date(2026, 10, 10))

    assert SurgeryDay.objects.filter(pk=october.pk).exists()
    assert Commitment.objects.filter(day_id=october.pk, is_active=True).count() == 1
    assert not series.exceptions.exists()


@time_machine.travel(SEPTEMBER, tick=False)
def test_refresh_remakes_future_drafts_from_the_first_day_and_leaves_published_ones(source, organiser):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)
    first, second, *_rest = series.days.order_by("starts_at")
    day_publish(day=first, by=organiser)
    series_move(series=series, on=date(2027, 1, 9), to=date(2027, 1, 16), by=organiser)
    source.title, source.slot_minutes = "Monthly surgery, now in the library", 20
    source.starts_at = local_datetime(date(2026, 9, 12), 11)
    source.save()

    remade = series_refresh(series=series, by=organiser)

    first.refresh_from_db()
    assert first.title == "Monthly surgery"
    assert len(remade) == 5
    assert {(day.title, day.slot_minutes) for day in remade} == {("Monthly surgery, now in the library", 20)}
    assert [day.starts_at for day in remade] == [
        datetime(2026, 11, 14, 11, tzinfo=UTC),  # 11:00 GMT
        datetime(2026, 12, 12, 11, tzinfo=UTC),
        datetime(2027, 1, 16, 11, tzinfo=UTC),  # still on the date it was moved to
        datetime(2027, 2, 13, 11, tzinfo=UTC),
        datetime(2027, 3, 13, 11, tzinfo=UTC),
    ]
    assert not SurgeryDay.objects.filter(pk=second.pk).exists()
    assert series.days.count() == 6


@time_machine.travel(SEPTEMBER, tick=False)
def test_refresh_by_someone_who_does_not_organise_is_refused_and_changes_nothing(source, organiser, other_organiser):
    series = series_create(day=source, by=organiser, rule=MONTHLY_SECOND_SATURDAY)
    before = set(series.days.values_list("pk", flat=True))

    with pytest.raises(errors.NotAllowed):
        series_refresh(series=series, by=other_organiser)

    assert set(series.days.values_list("pk", flat=True)) == before
