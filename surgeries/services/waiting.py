"""Waiting lists: a freed place goes to the person who has waited longest.

One engine serves both kinds of list: a day's list for one-to-one slots (here) and
a workshop's list for its seats (workshops/services/registration.py). Each app says
how many places there are, how a place is taken and whom to tell; the order, the
locking and "someone who cannot take it keeps their place" are written once, in
`waiting_list_fill`. Ending the wait is `waiting_entries_end`, for both lists.

We book people straight in (rather than offering the place for a while) because it
is simplest to make exactly-once: it happens under the same lock as the
cancellation that freed the place, in the same transaction.
"""

from collections.abc import Callable, Iterable
from functools import partial
from typing import TypeVar

from django.db import IntegrityError, transaction
from django.db.models import Model, QuerySet

from people.models import User
from people.selectors import active_topics_of, is_blocked
from surgeries import errors
from surgeries.models import Booking, SurgeryDay, WaitingListEntry
from surgeries.models.surgeons import Slot
from surgeries.notifications import booking_notifications_schedule
from surgeries.services.booking_core import book_locked_slot

Entry = TypeVar("Entry", bound=Model)
Place = TypeVar("Place")


def waiting_list_fill(
    *,
    entries: QuerySet[Entry],
    places: int,
    take_place: Callable[[Entry], Place],
    notify: Callable[[Place], None],
) -> list[Place]:
    """Give up to `places` freed places to the people in `entries` who have waited longest.

    The caller holds the lock on what was freed (the slot, the workshop) and passes
    the waiting entries for it.

    1. Stop if there is no place to give (the caller counts them: none for a slot
       taken or withdrawn, the free seats of a workshop still open).
    2. Lock the entries, oldest first, so two freed places never take the same person.
    3. Try each in turn inside a savepoint: `take_place` gives them the place and
       closes their entry, or raises a domain error (busy, blocked, the surgeon
       themselves…) and they keep their place in the queue. Each person given a
       place is told (`notify`); stop once every place is given.
    """
    given: list[Place] = []
    if places <= 0:
        return given
    # Only the entries: their people are locked later, in id order, by the booking or
    # seat code, and locking them here in queue order could deadlock with that.
    for entry in entries.select_for_update(of=("self",)).select_related("person").order_by("created_at", "id"):
        try:
            with transaction.atomic():
                place = take_place(entry)
        except (errors.SurgeryError, IntegrityError):
            continue
        notify(place)
        given.append(place)
        if len(given) == places:
            break
    return given


def waiting_entries_end(entries: QuerySet) -> int:
    """Take everyone still waiting in `entries` off the list (they left, the day or the
    workshop is over or cancelled, the account is erased). Returns how many.

    For either kind of list: both models have `Status.WAITING` and `Status.LEFT`.
    Entries that already got a place or left stay as they are.
    """
    status = entries.model.Status
    return entries.filter(status=status.WAITING).update(status=status.LEFT)


@transaction.atomic
def waiting_list_join(
    *, day: SurgeryDay, person: User, topic_ids: Iterable[int] = (), note: str = ""
) -> WaitingListEntry:
    if day.status != SurgeryDay.Status.PUBLISHED:
        raise errors.BookingClosed()
    if is_blocked(person=person, organisation=day.organisation):
        raise errors.PersonBlocked()
    if WaitingListEntry.objects.filter(day=day, person=person, status=WaitingListEntry.Status.WAITING).exists():
        raise errors.BookingError("You are already on the waiting list for this day.")
    entry = WaitingListEntry(day=day, person=person, note=note.strip())
    entry.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            entry.save()
    except IntegrityError as error:
        raise errors.BookingError("You are already on the waiting list for this day.") from error
    entry.topics.set(active_topics_of(organisation_id=day.organisation_id).filter(pk__in=list(topic_ids)))
    return entry


@transaction.atomic
def waiting_list_leave(*, day: SurgeryDay, person: User) -> None:
    waiting_entries_end(WaitingListEntry.objects.filter(day=day, person=person))


def waiting_list_promote(*, slot: Slot) -> Booking | None:
    """Book the longest-waiting person who can take this (locked) slot. Caller holds the lock.

    A slot already taken or withdrawn has no place to give. `book_locked_slot` refuses
    anyone who cannot have it (busy, blocked, the surgeon themselves, a slot that has
    started), and they keep their place.
    """
    is_free = slot.is_offered and not Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).exists()
    booked = waiting_list_fill(
        entries=WaitingListEntry.objects.filter(day_id=slot.day_id, status=WaitingListEntry.Status.WAITING),
        places=1 if is_free else 0,
        take_place=partial(_book_from_waiting_list, slot=slot),
        notify=_tell_booked_from_waiting_list,
    )
    return booked[0] if booked else None


def _book_from_waiting_list(entry: WaitingListEntry, *, slot: Slot) -> Booking:
    booking = book_locked_slot(
        slot=slot,
        learner=entry.person,
        topic_ids=entry.topics.values_list("pk", flat=True),
        note=entry.note,
        booked_by=None,
    )
    entry.status = WaitingListEntry.Status.BOOKED
    entry.booking = booking
    entry.save(update_fields=["status", "booking"])
    return booking


def _tell_booked_from_waiting_list(booking: Booking) -> None:
    booking_notifications_schedule(booking=booking, promoted=True)
