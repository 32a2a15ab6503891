"""The waiting-list engine and ending the wait, shared by slots and workshops; a day's own list."""

from datetime import timedelta

import pytest

from surgeries import errors
from surgeries.models import Booking, WaitingListEntry
from surgeries.services import booking_cancel, waiting_list_join
from surgeries.services.waiting import waiting_entries_end, waiting_list_fill
from tests.factories import DaySurgeonFactory, SlotFactory, SurgeryDayFactory, UserFactory, WorkshopFactory, booked_slot
from workshops.models import WorkshopWaitingEntry

pytestmark = pytest.mark.django_db


def _waiting(day, count: int) -> list[WaitingListEntry]:
    """`count` people waiting, oldest first; written newest first, so ids do not give the order away."""
    newest_first = [
        WaitingListEntry.objects.create(day=day, person=UserFactory(), created_at=day.starts_at - timedelta(days=i))
        for i in range(1, count + 1)
    ]
    return newest_first[::-1]


def _fill(day, *, places: int, refuse=()):
    taken, told = [], []

    def take_place(entry):
        if entry.person in refuse:
            raise errors.PersonBusy()
        taken.append(entry.person)
        return entry.person

    given = waiting_list_fill(
        entries=WaitingListEntry.objects.filter(day=day, status=WaitingListEntry.Status.WAITING),
        places=places,
        take_place=take_place,
        notify=told.append,
    )
    return given, taken, told


def test_waiting_list_fill_gives_the_places_oldest_first_and_tells_each():
    day = SurgeryDayFactory()
    first, second, _third = _waiting(day, 3)

    given, taken, told = _fill(day, places=2)

    assert given == [first.person, second.person]
    assert taken == given
    assert told == given


def test_waiting_list_fill_skips_someone_who_cannot_take_the_place():
    day = SurgeryDayFactory()
    first, second, third = _waiting(day, 3)

    given, _, _ = _fill(day, places=2, refuse={first.person})

    assert given == [second.person, third.person]


def test_waiting_list_fill_with_no_place_tries_nobody():
    day = SurgeryDayFactory()
    _waiting(day, 2)

    given, taken, told = _fill(day, places=0)

    assert (given, taken, told) == ([], [], [])


def test_waiting_entries_end_ends_only_those_still_waiting():
    day = SurgeryDayFactory()
    waiting, booked = _waiting(day, 2)
    WaitingListEntry.objects.filter(pk=booked.pk).update(status=WaitingListEntry.Status.BOOKED)

    ended = waiting_entries_end(WaitingListEntry.objects.filter(day=day))

    assert ended == 1
    assert dict(WaitingListEntry.objects.values_list("pk", "status")) == {
        waiting.pk: WaitingListEntry.Status.LEFT,
        booked.pk: WaitingListEntry.Status.BOOKED,
    }


def test_waiting_entries_end_works_for_workshop_lists_too():
    workshop = WorkshopFactory()
    entry = WorkshopWaitingEntry.objects.create(workshop=workshop, person=UserFactory())

    assert waiting_entries_end(WorkshopWaitingEntry.objects.filter(workshop=workshop)) == 1
    assert waiting_entries_end(WorkshopWaitingEntry.objects.filter(workshop=workshop)) == 0
    entry.refresh_from_db()
    assert entry.status == WorkshopWaitingEntry.Status.LEFT


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
