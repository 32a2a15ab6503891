"""The waiting-list engine and ending the wait, shared by slots and workshops."""

from datetime import timedelta

import pytest

from surgeries import errors
from surgeries.models import WaitingListEntry
from surgeries.services.waiting import waiting_entries_end, waiting_list_fill
from tests.factories import SurgeryDayFactory, UserFactory, WorkshopFactory
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
