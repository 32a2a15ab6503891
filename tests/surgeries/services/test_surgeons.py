from datetime import UTC, date, datetime, timedelta

import pytest

from surgeries import errors
from surgeries.models import Booking, SurgeryDay, WaitingListEntry
from surgeries.services import (
    DayDetails,
    availability_set,
    booking_cancel,
    day_cancel,
    day_update,
    slot_starts,
    waiting_list_join,
)
from tests.factories import (
    DaySurgeonFactory,
    SlotFactory,
    SurgeryDayFactory,
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
def test_cancellation_books_the_longest_waiting_person_exactly_once():
    booking = booked_slot()
    first, second = UserFactory(), UserFactory()
    waiting_list_join(day=booking.day, person=first)
    waiting_list_join(day=booking.day, person=second)

    booking_cancel(booking_id=booking.pk, by=booking.learner)

    promoted = Booking.objects.get(slot=booking.slot, status=Booking.Status.ACTIVE)
    assert promoted.learner == first
    assert WaitingListEntry.objects.get(person=first).status == WaitingListEntry.Status.BOOKED
    assert WaitingListEntry.objects.get(person=second).status == WaitingListEntry.Status.WAITING


@pytest.mark.django_db
def test_waiting_list_skips_person_who_is_busy_then_and_keeps_their_place():
    booking = booked_slot()
    busy = UserFactory()
    booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=booking.day)), learner=busy)
    free = UserFactory()
    waiting_list_join(day=booking.day, person=busy)
    waiting_list_join(day=booking.day, person=free)

    booking_cancel(booking_id=booking.pk, by=booking.learner)

    assert Booking.objects.get(slot=booking.slot, status=Booking.Status.ACTIVE).learner == free
    assert WaitingListEntry.objects.get(person=busy).status == WaitingListEntry.Status.WAITING


@pytest.mark.django_db
def test_waiting_list_join_twice_is_refused():
    day = SurgeryDayFactory()
    person = UserFactory()
    waiting_list_join(day=day, person=person)

    with pytest.raises(errors.BookingError, match="already on the waiting list"):
        waiting_list_join(day=day, person=person)


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


@pytest.mark.django_db
def test_day_cancel_cancels_bookings_and_clears_waiting_list(organisation, organiser):
    day = SurgeryDayFactory(organisation=organisation)
    booking = booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day)))
    waiting_list_join(day=day, person=UserFactory())

    count = day_cancel(day=day, by=organiser)

    booking.refresh_from_db()
    assert (count, booking.status) == (1, Booking.Status.CANCELLED)
    assert not WaitingListEntry.objects.filter(status=WaitingListEntry.Status.WAITING).exists()
    assert SurgeryDay.objects.get(pk=day.pk).status == SurgeryDay.Status.CANCELLED


@pytest.mark.django_db
def test_day_update_with_longer_sessions_remakes_slots_but_never_drops_a_booking(organisation, organiser):
    day = SurgeryDayFactory(organisation=organisation)
    day_surgeon = DaySurgeonFactory(day=day)
    start = day.starts_at
    availability_set(
        day_surgeon=day_surgeon, by=organiser, windows=[(start, start + timedelta(hours=1))], max_sessions=4
    )
    details = DayDetails(
        title=day.title, venue=day.venue, starts_at=day.starts_at, ends_at=day.ends_at, slot_minutes=60
    )

    day_update(day=day, by=organiser, details=details)
    offered = list(day.slots.filter(is_offered=True).values_list("ends_at", flat=True))
    booked_slot(slot=day.slots.get(is_offered=True))
    details.slot_minutes = 20

    assert offered == [start + timedelta(hours=1)]
    with pytest.raises(errors.DayError):
        day_update(day=day, by=organiser, details=details)
    assert SurgeryDay.objects.get(pk=day.pk).slot_minutes == 60
