"""Copying a day to another date."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine

from surgeries import errors
from surgeries.models import Booking, DayBreak, DaySurgeon, SurgeryDay
from surgeries.services import availability_set, day_copy
from tests.factories import (
    OpenSpaceFactory,
    SurgeryDayFactory,
    WorkshopFactory,
    booked_slot,
    facilitating,
    local_datetime,
    member,
)
from workshops.models import OpenSpace, Workshop

pytestmark = pytest.mark.django_db

SEPTEMBER = datetime(2026, 9, 1, 12, tzinfo=UTC)


@pytest.fixture
def source(organisation):
    """A published Saturday in British Summer Time, 10:00 to 15:00 at the venue."""
    with time_machine.travel(SEPTEMBER, tick=False):
        day = SurgeryDayFactory(
            organisation=organisation,
            title="September surgery",
            starts_at=local_datetime(date(2026, 9, 12), 10),
            ends_at=local_datetime(date(2026, 9, 12), 15),
            booking_opens_at=local_datetime(date(2026, 8, 29), 9),
            booking_closes_at=local_datetime(date(2026, 9, 11), 18),
            slot_minutes=40,
        )
        DayBreak.objects.create(
            day=day,
            label="Lunch",
            starts_at=local_datetime(day.starts_at.date(), 12, 30),
            ends_at=local_datetime(day.starts_at.date(), 13, 15),
        )
    return day


@time_machine.travel(SEPTEMBER, tick=False)
def test_copy_across_the_clock_change_keeps_local_times(source, organiser):
    copied = day_copy(day=source, by=organiser, on=date(2026, 11, 14))

    day = copied.day
    assert day.status == SurgeryDay.Status.DRAFT
    assert (day.starts_at, day.ends_at) == (
        datetime(2026, 11, 14, 10, tzinfo=UTC),  # 10:00 GMT, was 09:00 UTC in summer
        datetime(2026, 11, 14, 15, tzinfo=UTC),
    )
    assert (day.booking_opens_at, day.booking_closes_at) == (
        datetime(2026, 10, 31, 9, tzinfo=UTC),
        datetime(2026, 11, 13, 18, tzinfo=UTC),
    )
    assert day.slot_minutes == 40
    assert [(b.label, b.starts_at) for b in day.breaks.all()] == [("Lunch", datetime(2026, 11, 14, 12, 30, tzinfo=UTC))]


@time_machine.travel(SEPTEMBER, tick=False)
def test_copy_invites_surgeons_again_without_times_or_bookings(source, organiser, surgeon, learner):
    day_surgeon = DaySurgeon.objects.create(day=source, person=surgeon, max_sessions=4)
    availability_set(day_surgeon=day_surgeon, by=surgeon, windows=[(source.starts_at, source.ends_at)], max_sessions=4)
    booked_slot(slot=source.slots.first(), learner=learner)

    copied = day_copy(day=source, by=organiser, on=date(2026, 10, 10))

    invited = DaySurgeon.objects.get(day=copied.day)
    assert (invited.person, invited.joined_via, invited.max_sessions) == (surgeon, "invited", 4)
    assert list(invited.windows.all()) == []
    assert not copied.day.slots.exists()
    assert not Booking.objects.filter(day=copied.day).exists()
    assert copied.surgeons == ["Sam Surgeon"]


@time_machine.travel(SEPTEMBER, tick=False)
def test_copy_brings_workshops_and_open_space_but_no_places(source, organiser, learner, organisation):
    workshop = WorkshopFactory(day=source, title="Staying safe online", room="Room 2")
    facilitating(workshop=workshop, person=member(organisation, display_name="Fola Facilitator"))
    WorkshopFactory(day=source, title="Called off", status=Workshop.Status.CANCELLED)
    OpenSpaceFactory(day=source, room="Main hall")

    copied = day_copy(day=source, by=organiser, on=date(2026, 11, 14))

    copy = Workshop.objects.get(day=copied.day)
    assert (copy.title, copy.starts_at, copy.capacity) == (
        "Staying safe online",
        datetime(2026, 11, 14, 10, tzinfo=UTC),
        workshop.capacity,
    )
    assert not copy.registrations.exists() and not copy.facilitators.exists()
    assert OpenSpace.objects.get(day=copied.day).starts_at == datetime(2026, 11, 14, 12, tzinfo=UTC)
    assert copied.programme == [
        "Workshop “Staying safe online”, 10:00 to 11:00 GMT in Room 2 (facilitators to ask again: Fola Facilitator)",
        "“Open space”, 12:00 to 13:00 GMT in Main hall",
    ]


@time_machine.travel(SEPTEMBER, tick=False)
def test_copy_keeps_the_sessions_per_learner_limit(source, organiser):
    SurgeryDay.objects.filter(pk=source.pk).update(max_sessions_per_learner=2)
    source.refresh_from_db()

    copied = day_copy(day=source, by=organiser, on=date(2026, 10, 10))

    assert copied.day.max_sessions_per_learner == 2


@time_machine.travel(SEPTEMBER, tick=False)
def test_copy_to_a_past_date_is_refused(source, organiser):
    with pytest.raises(errors.DayError, match="31 August 2026 has already passed"):
        day_copy(day=source, by=organiser, on=date(2026, 8, 31))

    assert SurgeryDay.objects.count() == 1


@time_machine.travel(SEPTEMBER, tick=False)
def test_copy_by_someone_who_does_not_organise_is_refused(source, other_organiser, surgeon):
    for person in (other_organiser, surgeon):
        with pytest.raises(errors.NotAllowed):
            day_copy(day=source, by=person, on=date(2026, 10, 10))

    assert SurgeryDay.objects.count() == 1


@time_machine.travel(SEPTEMBER, tick=False)
def test_copy_leaves_out_surgeons_who_left_the_organisation(source, organiser, stranger):
    DaySurgeon.objects.create(day=source, person=stranger)

    copied = day_copy(day=source, by=organiser, on=date(2026, 10, 10) + timedelta(days=7))

    assert copied.surgeons == []


@time_machine.travel(SEPTEMBER, tick=False)
def test_copy_keeps_how_people_meet_and_the_video_links(source, organiser, surgeon):
    SurgeryDay.objects.filter(pk=source.pk).update(
        mode=SurgeryDay.Mode.HYBRID, online_link="https://meet.example.org/day", link_shown_minutes_before=15
    )
    source.refresh_from_db()
    DaySurgeon.objects.create(day=source, person=surgeon, is_online=True, video_link="https://video.example.org/sam")

    copied = day_copy(day=source, by=organiser, on=date(2026, 10, 10))

    day = copied.day
    invited = DaySurgeon.objects.get(day=day)
    assert (day.mode, day.online_link, day.link_shown_minutes_before) == (
        SurgeryDay.Mode.HYBRID,
        "https://meet.example.org/day",
        15,
    )
    assert (invited.is_online, invited.video_link) == (True, "https://video.example.org/sam")


@time_machine.travel(SEPTEMBER, tick=False)
def test_copy_of_a_day_saved_under_older_rules_says_what_to_change(source, organiser):
    """Video links had not to be https before online days; such a day's copy failed
    with a server error instead of saying so."""
    SurgeryDay.objects.filter(pk=source.pk).update(mode="hybrid", online_link="http://meet.example.org/surgery")
    source.refresh_from_db()

    with pytest.raises(errors.DayError, match=r"cannot be copied as it is: .*https.* Change it on its page first"):
        day_copy(day=source, by=organiser, on=date(2026, 10, 10))

    assert SurgeryDay.objects.count() == 1
