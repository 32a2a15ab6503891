"""Booking, cancelling and moving one-to-one sessions. See docs/booking.md.

The checks and the write every booking shares are in `booking_core`; a slot freed
here goes to the waiting list (`waiting`), which books through that core too.
"""

from collections.abc import Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from people.models import User
from people.selectors import is_organiser
from surgeries import errors
from surgeries.models import Booking, CalendarFeed, DayAggregate
from surgeries.notifications import booking_cancelled_notify, booking_moved_notify, booking_notifications_schedule
from surgeries.services.booking_core import book_locked_slot, friendly_database_errors
from surgeries.services.locking import lock_slots
from surgeries.services.waiting import waiting_list_promote


def booking_create(
    *,
    slot_id: int,
    learner: User,
    topic_ids: Iterable[int] = (),
    note: str = "",
    booked_by: User | None = None,
    is_walk_in: bool = False,
    at_desk: bool = False,
    beyond_limit: bool = False,
) -> Booking:
    """Book one slot for a learner, or raise a BookingError saying why not.

    1. Lock the slot row, then read the day afresh (a day cancelled meanwhile is seen).
    2. Check status, booking window, blocks, "not with oneself" and "slot still free".
    3. Lock both people, then check neither is busy, the surgeon has sessions left and
       the learner is within the day's sessions-per-learner limit (unless `beyond_limit`).
    4. Write the booking and one commitment per person. The database constraints
       back every step; if they fire anyway, the same friendly error is raised.
    """
    with friendly_database_errors(learner_id=learner.pk), transaction.atomic():
        slot = lock_slots([slot_id]).get(slot_id)
        if slot is None:
            raise errors.BookingClosed("That slot no longer exists.")
        booking = book_locked_slot(
            slot=slot,
            learner=learner,
            topic_ids=topic_ids,
            note=note,
            booked_by=booked_by,
            is_walk_in=is_walk_in,
            at_desk=at_desk,
            beyond_limit=beyond_limit,
        )
        booking_notifications_schedule(booking=booking)
        return booking


def _check_may_change(*, booking: Booking, by: User, as_organiser: bool, now: datetime) -> None:
    if as_organiser:
        if not is_organiser(user=by, organisation=booking.day.organisation):
            raise errors.NotAllowed()
        if booking.day.is_over(now):
            # Changing it now would email people about a day that is over and change its report.
            raise errors.BookingError("This day has finished, so its sessions can no longer be changed.")
        return
    if booking.learner_id != by.pk:
        raise errors.NotAllowed()
    cutoff = booking.slot.starts_at - timedelta(hours=booking.day.cancellation_cutoff_hours)
    if now >= cutoff:
        raise errors.TooLateToChange()


def booking_release(booking: Booking, *, now: datetime) -> None:
    booking.status = Booking.Status.CANCELLED
    booking.cancelled_at = now
    booking.save(update_fields=["status", "cancelled_at"])
    booking.commitments.update(is_active=False)


def _locked_booking(booking_id: int) -> Booking:
    booking = Booking.objects.select_related("day__organisation", "slot").get(pk=booking_id)
    lock_slots([booking.slot_id])
    # Read again now the slot is locked: another request may have just cancelled it.
    booking.refresh_from_db(fields=["status"])
    if not booking.is_active:
        raise errors.BookingError("This booking has already been cancelled.")
    return booking


def booking_cancel(*, booking_id: int, by: User, as_organiser: bool = False) -> Booking:
    """Cancel a booking (learner until the cut-off, organisers any time) and offer the slot on."""
    with friendly_database_errors(), transaction.atomic():
        return _cancel(booking_id=booking_id, by=by, as_organiser=as_organiser)


def _cancel(*, booking_id: int, by: User, as_organiser: bool) -> Booking:
    booking = _locked_booking(booking_id)
    now = timezone.now()
    _check_may_change(booking=booking, by=by, as_organiser=as_organiser, now=now)
    booking_release_locked(booking=booking, by=by, now=now)
    return booking


def booking_release_locked(*, booking: Booking, by: User, now: datetime) -> None:
    """What every cancellation does once its slot is locked and it is allowed:
    free both people, tell the other party, and offer the slot to the waiting list."""
    booking_release(booking, now=now)
    booking_cancelled_notify(booking=booking, by=by)
    waiting_list_promote(slot=booking.slot)


def booking_reschedule(*, booking_id: int, new_slot_id: int, by: User, as_organiser: bool = False) -> Booking:
    """Move a booking to another slot on the same day, all or nothing.

    The learner keeps the old booking unless the new one is made. Organisers use
    this to move a booking at the desk (no cut-off, no booking window).
    """
    with friendly_database_errors(), transaction.atomic():
        booking = Booking.objects.select_related("day__organisation", "slot", "learner").get(pk=booking_id)
        slots = lock_slots([booking.slot_id, new_slot_id])
        new_slot = slots.get(new_slot_id)
        if new_slot is None or new_slot.day_id != booking.day_id or new_slot.pk == booking.slot_id:
            raise errors.BookingError("Please choose a different slot on the same day.")
        booking.refresh_from_db(fields=["status"])
        if not booking.is_active:
            raise errors.BookingError("This booking has already been cancelled.")
        now = timezone.now()
        _check_may_change(booking=booking, by=by, as_organiser=as_organiser, now=now)
        booking_release(booking, now=now)
        new_booking = book_locked_slot(
            slot=new_slot,
            learner=booking.learner,
            topic_ids=booking.topics.values_list("pk", flat=True),
            note=booking.note,
            booked_by=by,
            is_walk_in=booking.is_walk_in,
            at_desk=as_organiser,
        )
        booking_carry_over(old=booking, new=new_booking)
        booking_moved_notify(old=booking, new=new_booking)
        waiting_list_promote(slot=slots[booking.slot_id])
        return new_booking


def booking_carry_over(*, old: Booking, new: Booking) -> None:
    """What stays with a session when it moves: its calendar event, the organisers' note and
    the record of who booked it for the person with their consent."""
    new.calendar_uid = old.event_uid
    new.calendar_sequence = old.calendar_sequence + 1
    new.organiser_note = old.organiser_note
    new.on_behalf, new.consent_recorded_at = old.on_behalf, old.consent_recorded_at
    if old.on_behalf:
        new.booked_by_id = old.booked_by_id
    fields = ["calendar_uid", "calendar_sequence", "organiser_note", "on_behalf", "consent_recorded_at", "booked_by"]
    new.save(update_fields=fields)


def _organiser_booking(*, booking_id: int, by: User) -> Booking:
    booking = Booking.objects.select_related("day__organisation").get(pk=booking_id)
    if not is_organiser(user=by, organisation=booking.day.organisation):
        raise errors.NotAllowed()
    return booking


@transaction.atomic
def booking_check_in(*, booking_id: int, by: User, checked_in: bool = True) -> Booking:
    booking = _organiser_booking(booking_id=booking_id, by=by)
    booking.checked_in_at = timezone.now() if checked_in else None
    if checked_in:
        booking.is_no_show = False
    booking.save(update_fields=["checked_in_at", "is_no_show"])
    return booking


def refuse_after_retention(day_id: int) -> None:
    """Short-lived personal data cannot be added to a day whose data the retention job deleted:
    nothing would ever delete it again."""
    if DayAggregate.objects.filter(day_id=day_id).exists():
        raise errors.SurgeryError(RETAINED_NO_MORE)


RETAINED_NO_MORE = "This day's private notes and marks have been deleted, so they can no longer be added."


@transaction.atomic
def booking_mark_no_show(*, booking_id: int, by: User, no_show: bool = True) -> Booking:
    """Record (or clear) a no-show. Private to organisers; nothing else follows from it."""
    booking = _organiser_booking(booking_id=booking_id, by=by)
    refuse_after_retention(booking.day_id)
    booking.is_no_show = no_show
    if no_show:
        booking.checked_in_at = None
    booking.save(update_fields=["checked_in_at", "is_no_show"])
    return booking


@transaction.atomic
def calendar_feed_renew(*, person: User) -> CalendarFeed:
    """Give the person a new secret calendar address; the old one stops working."""
    CalendarFeed.objects.filter(person=person).delete()
    feed = CalendarFeed(person=person)
    feed.full_clean()
    feed.save()
    return feed
