from datetime import UTC, date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from surgeries import errors
from surgeries.day_version import day_version
from surgeries.models import Booking, DaySurgeon, SurgeryDay
from surgeries.services import (
    availability_set,
    slot_starts,
    surgeon_online_set,
    waiting_list_join,
)
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    UserFactory,
    booked_slot,
    local_datetime,
)


def _at(hour, minute=0):
    return datetime(2030, 1, 8, hour, minute, tzinfo=UTC)


def test_slot_starts_cuts_windows_and_skips_breaks():
    slots = slot_starts(windows=[(_at(10), _at(12, 20))], breaks=[(_at(11), _at(11, 15))], length=timedelta(minutes=30))

    assert [s for s, _ in slots] == [_at(10), _at(10, 30), _at(11, 15), _at(11, 45)]


def test_slot_starts_on_the_day_clocks_go_forward_keeps_wall_clock_lengths():
    windows = [(local_datetime(date(2027, 3, 28), 10), local_datetime(date(2027, 3, 28), 11))]

    slots = slot_starts(windows=windows, breaks=[], length=timedelta(minutes=30))

    assert [s.hour for s, _ in slots] == [9, 9]  # 10:00 and 10:30 BST are 09:00 and 09:30 UTC


@pytest.mark.django_db
def test_availability_set_refuses_fewer_sessions_than_booked(organiser):
    slot = SlotFactory()
    booked_slot(slot=slot)
    booked_slot(slot=SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.ends_at))

    with pytest.raises(errors.AvailabilityConflict):
        availability_set(
            day_surgeon=slot.day_surgeon,
            by=slot.surgeon,
            windows=[(slot.starts_at, slot.starts_at + timedelta(hours=1))],
            max_sessions=1,
        )


@pytest.mark.django_db
def test_new_availability_books_waiting_person(organiser):
    day_surgeon = DaySurgeonFactory()
    person = UserFactory()
    waiting_list_join(day=day_surgeon.day, person=person)
    start = day_surgeon.day.starts_at

    availability_set(
        day_surgeon=day_surgeon, by=day_surgeon.person, windows=[(start, start + timedelta(minutes=30))], max_sessions=2
    )

    assert Booking.objects.get().learner == person


# --- online sessions --------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["surgeon", "organiser"])
def test_surgeon_online_set_by_the_surgeon_or_an_organiser(request, day, surgeon, who):
    SurgeryDay.objects.filter(pk=day.pk).update(mode=SurgeryDay.Mode.HYBRID)
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)
    before = day_version(day.pk)

    surgeon_online_set(
        day_surgeon=day_surgeon,
        by=request.getfixturevalue(who),
        is_online=True,
        video_link="https://video.example.org/sam",
    )

    day_surgeon.refresh_from_db()
    assert (day_surgeon.is_online, day_surgeon.video_link) == (True, "https://video.example.org/sam")
    assert day_version(day.pk) > before  # the day page's "Online" labels change at once


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["learner", "stranger", "other_organiser"])
def test_surgeon_online_set_by_anyone_else_is_refused(request, day, surgeon, who):
    SurgeryDay.objects.filter(pk=day.pk).update(mode=SurgeryDay.Mode.HYBRID)
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)

    with pytest.raises(errors.NotAllowed):
        surgeon_online_set(
            day_surgeon=day_surgeon, by=request.getfixturevalue(who), is_online=True, video_link="https://x.example"
        )

    day_surgeon.refresh_from_db()
    assert (day_surgeon.is_online, day_surgeon.video_link) == (False, "")


@pytest.mark.django_db
def test_surgeon_online_set_keeps_in_person_choice_off_a_hybrid_day(day, surgeon):
    SurgeryDay.objects.filter(pk=day.pk).update(mode=SurgeryDay.Mode.ONLINE)
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)

    surgeon_online_set(day_surgeon=day_surgeon, by=surgeon, is_online=True, video_link="")

    day_surgeon.refresh_from_db()
    assert day_surgeon.is_online is False  # every session of an online day is online anyway


@pytest.mark.django_db
def test_surgeon_online_set_refuses_a_link_that_is_not_https(day, surgeon):
    SurgeryDay.objects.filter(pk=day.pk).update(mode=SurgeryDay.Mode.ONLINE)
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)

    with pytest.raises(ValidationError):
        surgeon_online_set(day_surgeon=day_surgeon, by=surgeon, is_online=True, video_link="http://video.example.org")

    assert DaySurgeon.objects.get(pk=day_surgeon.pk).video_link == ""


@pytest.mark.django_db
def test_surgeon_online_set_refuses_to_switch_sessions_people_are_booked_on(day, surgeon, learner):
    """Nothing would tell the learner: they would go to the venue for an online
    session, or wait by a screen for one in a room. The link may still change."""
    SurgeryDay.objects.filter(pk=day.pk).update(mode=SurgeryDay.Mode.HYBRID)
    day.refresh_from_db()
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)
    booked_slot(slot=SlotFactory(day_surgeon=day_surgeon), learner=learner)

    with pytest.raises(errors.DayError, match="1 person is booked to meet as the sessions are now"):
        surgeon_online_set(day_surgeon=day_surgeon, by=surgeon, is_online=True, video_link="")
    surgeon_online_set(day_surgeon=day_surgeon, by=surgeon, is_online=False, video_link="https://video.example.org/s")

    day_surgeon.refresh_from_db()
    assert (day_surgeon.is_online, day_surgeon.video_link) == (False, "https://video.example.org/s")
