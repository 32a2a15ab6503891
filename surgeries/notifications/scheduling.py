"""What the surgeries services call, inside their own transaction, to schedule,
move and cancel messages. Each function is one line in the service that makes
the change, so a rolled-back booking leaves nothing in the outbox.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from outbox.services import (
    notification_schedule,
    notifications_cancel_for,
    notifications_reschedule_for,
)
from outbox.tasks import sweep_soon
from people.models import User
from surgeries.models import Booking, DaySurgeon, SurgeryDay, WaitingListEntry
from surgeries.notifications.bookings import (
    BOOKING_CANCELLED,
    BOOKING_CONFIRMED,
    BOOKING_RECEIVED,
    BY_LEARNER,
    BY_ORGANISER,
    DAY_AFTER,
    FEEDBACK_REQUEST,
    MOVED,
    REBOOKED,
    SESSION_REMINDER,
    SURGEON_WITHDREW,
    WAITING_LIST_PLACE,
    offset_slot,
)
from surgeries.notifications.days import EVENING_BEFORE, day_cancellation_notify
from surgeries.notifications.surgeons import DAY_SHEET, SURGEON_REMINDER


def _now_to(*, kind: str, recipient: User, booking: Booking, variant: str = "") -> None:
    notification_schedule(
        kind=kind, recipient=recipient, subject=booking, scope=booking.day, due_at=timezone.now(), slot=variant
    )


def _booking_reminders(booking: Booking) -> None:
    for minutes in booking.day.reminder_offsets_minutes:
        notification_schedule(
            kind=SESSION_REMINDER,
            recipient=booking.learner,
            subject=booking,
            scope=booking.day,
            slot=offset_slot(minutes),
        )
    notification_schedule(
        kind=FEEDBACK_REQUEST, recipient=booking.learner, subject=booking, scope=booking.day, slot=DAY_AFTER
    )


def _surgeon_messages(day_surgeon: DaySurgeon) -> None:
    """Move (or start) the surgeon's reminders and day sheet after their bookings changed."""
    notifications_reschedule_for(subject=day_surgeon)
    slots = [offset_slot(minutes) for minutes in day_surgeon.day.reminder_offsets_minutes]
    for kind, slot in [(SURGEON_REMINDER, slot) for slot in slots] + [(DAY_SHEET, EVENING_BEFORE)]:
        notification_schedule(
            kind=kind, recipient=day_surgeon.person, subject=day_surgeon, scope=day_surgeon.day, slot=slot
        )


# No savepoint of its own: its writes belong to the caller's transaction (or start one),
# and a batch of bookings would pay two round trips a booking for savepoints.
@transaction.atomic(savepoint=False)
def booking_notifications_schedule(
    *, booking: Booking, promoted: bool = False, moved_from: Booking | None = None
) -> None:
    """A new booking: confirm it to the learner (with the .ics), tell the surgeon,
    and line up the reminders, the day sheet and the feedback request."""
    confirmation = WAITING_LIST_PLACE if promoted else BOOKING_CONFIRMED
    _now_to(kind=confirmation, recipient=booking.learner, booking=booking, variant=MOVED if moved_from else "")
    same_surgeon = moved_from is not None and moved_from.surgeon_id == booking.surgeon_id
    _now_to(kind=BOOKING_RECEIVED, recipient=booking.surgeon, booking=booking, variant=MOVED if same_surgeon else "")
    _booking_reminders(booking)
    _surgeon_messages(booking.slot.day_surgeon)
    transaction.on_commit(sweep_soon)


@transaction.atomic
def booking_cancelled_notify(*, booking: Booking, by: User) -> None:
    """Stop the booking's messages and tell the other party (both, if an organiser cancelled)."""
    notifications_cancel_for(subject=booking, reason="booking cancelled")
    variant = BY_LEARNER if by.pk == booking.learner_id else BY_ORGANISER
    for recipient in (booking.learner, booking.surgeon):
        if recipient.pk != by.pk:
            _now_to(kind=BOOKING_CANCELLED, recipient=recipient, booking=booking, variant=variant)
    _surgeon_messages(booking.slot.day_surgeon)
    transaction.on_commit(sweep_soon)


@transaction.atomic
def booking_moved_notify(*, old: Booking, new: Booking) -> None:
    """The learner (or an organiser) moved a booking to another slot on the day.

    The old booking's reminders stop; the new one is confirmed with a fresh .ics. A
    surgeon who loses the session is told; one who keeps the learner hears it moved.
    """
    notifications_cancel_for(subject=old, reason="booking moved")
    if old.surgeon_id != new.surgeon_id:
        _now_to(kind=BOOKING_CANCELLED, recipient=old.surgeon, booking=old, variant=MOVED)
        _surgeon_messages(old.slot.day_surgeon)
    booking_notifications_schedule(booking=new, moved_from=old)


@transaction.atomic
def surgeon_withdrawal_notify(*, old: Booking, new: Booking | None, outcome: str) -> None:
    """The surgeon of `old` withdrew. Stop its messages and tell the learner once:
    moved to `new` (which gets its reminders, and its surgeon is told), or, with no
    `new`, what `outcome` says: on the day's waiting list, or only that it is off."""
    notifications_cancel_for(subject=old, reason="surgeon withdrew")
    _surgeon_messages(old.slot.day_surgeon)
    if new is None:
        _now_to(kind=SURGEON_WITHDREW, recipient=old.learner, booking=old, variant=outcome)
    else:
        _now_to(kind=SURGEON_WITHDREW, recipient=new.learner, booking=new, variant=REBOOKED)
        _now_to(kind=BOOKING_RECEIVED, recipient=new.surgeon, booking=new)
        _booking_reminders(new)
        _surgeon_messages(new.slot.day_surgeon)
    transaction.on_commit(sweep_soon)


@transaction.atomic
def day_notifications_reschedule(*, day: SurgeryDay) -> None:
    """A day's times or reminder offsets changed: move every message that depends on them."""
    notifications_reschedule_for(subject=day)
    bookings = Booking.objects.filter(day=day, status=Booking.Status.ACTIVE).select_related(
        "day__venue", "slot", "learner"
    )
    for booking in bookings:
        notifications_reschedule_for(subject=booking)
        _booking_reminders(booking)
    for day_surgeon in _booked_surgeons(day):
        _surgeon_messages(day_surgeon)


def _booked_surgeons(day: SurgeryDay) -> Iterable[DaySurgeon]:
    booked = Booking.objects.filter(day=day, status=Booking.Status.ACTIVE).values("slot__day_surgeon")
    return DaySurgeon.objects.filter(pk__in=booked).select_related("day__venue", "person")


@transaction.atomic
def day_cancelled_notify_everyone(*, day: SurgeryDay) -> int:
    """Call before the day's bookings and waiting list are closed: stops every booking
    and surgeon message and tells each learner with a booking, each surgeon and each
    person still on the waiting list once, however many of those they are."""
    bookings = list(Booking.objects.filter(day=day, status=Booking.Status.ACTIVE).select_related("learner"))
    surgeons = list(DaySurgeon.objects.filter(day=day).select_related("person"))
    waiting = WaitingListEntry.objects.filter(day=day, status=WaitingListEntry.Status.WAITING).select_related("person")
    for subject in [*bookings, *surgeons]:
        notifications_cancel_for(subject=subject, reason="day cancelled")
    people = {booking.learner_id: booking.learner for booking in bookings}
    people.update({day_surgeon.person_id: day_surgeon.person for day_surgeon in surgeons})
    people.update({entry.person_id: entry.person for entry in waiting})
    transaction.on_commit(sweep_soon)
    return day_cancellation_notify(day=day, recipients=people.values())
