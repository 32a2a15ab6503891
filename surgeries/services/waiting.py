"""The waiting list: a freed slot goes to the person who has waited longest.

We book them straight in (rather than offering the slot for a while) because it
is simplest to make exactly-once: it happens under the same slot lock as the
cancellation that freed the slot, in the same transaction.
"""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from people.models import User
from people.selectors import is_blocked
from surgeries import errors
from surgeries.models import Booking, SurgeryDay, WaitingListEntry
from surgeries.models.surgeons import Slot
from surgeries.notifications import booking_notifications_schedule
from surgeries.services.booking_core import book_locked_slot


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
    entry.topics.set(day.organisation.topics.filter(pk__in=list(topic_ids), is_active=True))
    return entry


@transaction.atomic
def waiting_list_leave(*, day: SurgeryDay, person: User) -> None:
    WaitingListEntry.objects.filter(day=day, person=person, status=WaitingListEntry.Status.WAITING).update(
        status=WaitingListEntry.Status.LEFT
    )


def waiting_list_promote(*, slot: Slot) -> Booking | None:
    """Book the longest-waiting person who can take this (locked) slot. Caller holds the lock.

    1. Stop if the slot is taken, withdrawn or already started.
    2. Lock the day's waiting entries, oldest first, so two freed slots never take
       the same person.
    3. Try each in turn inside a savepoint; the first who can be booked is booked
       and their entry marked booked. People who cannot (busy, blocked, the
       surgeon themselves) keep their place.
    """
    if not slot.is_offered or Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).exists():
        return None
    entries = (
        WaitingListEntry.objects.select_for_update()
        .filter(day_id=slot.day_id, status=WaitingListEntry.Status.WAITING)
        .select_related("person")
        .order_by("created_at", "id")
    )
    for entry in entries:
        try:
            with transaction.atomic():
                booking = book_locked_slot(
                    slot=slot,
                    learner=entry.person,
                    topic_ids=entry.topics.values_list("pk", flat=True),
                    note=entry.note,
                    booked_by=None,
                )
        except (errors.BookingError, IntegrityError):
            continue
        entry.status = WaitingListEntry.Status.BOOKED
        entry.booking = booking
        entry.save(update_fields=["status", "booking"])
        booking_notifications_schedule(booking=booking, promoted=True)
        return booking
    return None
