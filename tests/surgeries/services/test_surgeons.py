from datetime import UTC, date, datetime, timedelta

import pytest

from surgeries import errors
from surgeries.models import Booking
from surgeries.services import (
    availability_set,
    slot_starts,
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
