"""A surgeon who cannot come: withdraw from a day or one session, and look after their learners.

Each learner booked with them is moved to the free session nearest in time with a
surgeon who covers everything they asked for help with; if there is none they go
on the day's waiting list. Either way they are told once, at once, and the
organisers' record of the day says what happened.

Locks as hand booking does (docs/booking.md): the day (as a day cancellation
does), then every slot of the day by id, then people by id inside
`book_locked_slot`. A booking racing for a withdrawn slot either commits first,
and is moved here, or waits and then finds the slot no longer offered.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from people.models import User
from surgeries import errors
from surgeries.models import Booking, DaySurgeon, Slot, SurgeonWithdrawal, SurgeryDay, WaitingListEntry
from surgeries.notifications import NO_PLACE, ON_WAITING_LIST, REBOOKED, surgeon_withdrawal_notify
from surgeries.selectors import free_slots
from surgeries.services.booking import booking_carry_over, booking_release
from surgeries.services.booking_core import book_locked_slot, friendly_database_errors
from surgeries.services.locking import lock_day, lock_slots
from surgeries.services.waiting import waiting_list_join


def surgeon_withdraw(*, day_surgeon_id: int, by: User, slot_id: int | None = None) -> SurgeonWithdrawal:
    """The surgeon withdraws from the whole day, or from the one session `slot_id`.

    1. Only the surgeon themselves; not from a day that is over or cancelled.
    2. Lock the day and its slots; stop offering the surgeon's sessions still to come
       (or the one chosen, which must be theirs and not started).
    3. Release each of its bookings, then rebook the learner or put them on the
       waiting list, and tell them (`_look_after`).
    4. Record the withdrawal for the organisers.
    """
    with friendly_database_errors(), transaction.atomic():
        day_surgeon = DaySurgeon.objects.get(pk=day_surgeon_id)
        if by.pk != day_surgeon.person_id:
            raise errors.NotAllowed()
        day = lock_day(day_surgeon.day_id)
        now = timezone.now()
        if day.is_closed() or day.is_over(now):
            raise errors.DayError("This day is over or cancelled, so there is nothing to withdraw from.")
        slots = lock_slots(Slot.objects.filter(day=day).values_list("pk", flat=True))
        leaving = _slots_leaving(slots=slots, day_surgeon=day_surgeon, slot_id=slot_id, now=now)
        bookings = list(
            Booking.objects.filter(slot__in=leaving, status=Booking.Status.ACTIVE)
            .select_related("day__venue", "slot__day_surgeon", "learner", "surgeon")
            .order_by("slot__starts_at", "pk")
        )
        for slot in leaving:
            slot.is_offered = False
            slot.save(update_fields=["is_offered"])
        if slot_id is None:
            # Saving availability again later offers sessions afresh, as joining would.
            day_surgeon.windows.all().delete()
        outcomes = [_look_after(booking, day=day, now=now) for booking in bookings]
        withdrawal = SurgeonWithdrawal(
            day=day,
            day_surgeon=day_surgeon,
            slot=slots[slot_id] if slot_id is not None else None,
            rebooked=outcomes.count(REBOOKED),
            waiting=outcomes.count(ON_WAITING_LIST),
            not_placed=outcomes.count(NO_PLACE),
            created_at=now,
        )
        withdrawal.full_clean(exclude=["day", "day_surgeon", "slot"])
        withdrawal.save()
        return withdrawal


def _slots_leaving(
    *, slots: dict[int, Slot], day_surgeon: DaySurgeon, slot_id: int | None, now: datetime
) -> list[Slot]:
    if slot_id is None:
        mine = [s for s in slots.values() if s.day_surgeon_id == day_surgeon.pk]
        return [s for s in mine if s.is_offered and s.starts_at > now]
    slot = slots.get(slot_id)
    if slot is None or slot.day_surgeon_id != day_surgeon.pk or not slot.is_offered:
        raise errors.NotAllowed("That session is not one of yours on this day.")
    if slot.starts_at <= now:
        raise errors.DayError("That session has already started, so it cannot be withdrawn.")
    return [slot]


def _look_after(booking: Booking, *, day: SurgeryDay, now: datetime) -> str:
    """Release a booking whose surgeon withdrew; rebook or wait-list the learner and tell them.

    Returns what became of them: REBOOKED, ON_WAITING_LIST, or NO_PLACE when neither
    could be done (the organisation has since blocked them from booking).
    """
    booking_release(booking, now=now)
    topic_ids = set(booking.topics.values_list("pk", flat=True))
    new = _rebook(booking, day=day, topic_ids=topic_ids, now=now)
    if new is not None:
        booking_carry_over(old=booking, new=new)
        outcome = REBOOKED
    elif _wait(booking, day=day, topic_ids=topic_ids):
        outcome = ON_WAITING_LIST
    else:
        outcome = NO_PLACE
    surgeon_withdrawal_notify(old=booking, new=new, outcome=outcome)
    return outcome


def _rebook(booking: Booking, *, day: SurgeryDay, topic_ids: set[int], now: datetime) -> Booking | None:
    """Book the learner into the free slot nearest their old time whose surgeon covers their topics.

    The slots are locked already. `at_desk`: the learner booked when booking was
    open; moving them is not a new booking, so the booking window does not apply
    (`free_slots` offers only sessions that have not started).
    """
    candidates = [
        slot
        for slot in free_slots(day=day, now=now, exclude_person_id=booking.learner_id)
        if slot.surgeon_id != booking.surgeon_id and topic_ids <= {t.pk for t in slot.day_surgeon.topics.all()}
    ]
    candidates.sort(key=lambda slot: (abs(slot.starts_at - booking.slot.starts_at), slot.starts_at, slot.pk))
    for slot in candidates:
        try:
            with transaction.atomic():
                return book_locked_slot(
                    slot=slot,
                    learner=booking.learner,
                    topic_ids=topic_ids,
                    note=booking.note,
                    booked_by=booking.booked_by,
                    is_walk_in=booking.is_walk_in,
                    at_desk=True,
                    day=day,
                )
        except (errors.SurgeryError, IntegrityError):
            continue
    return None


def _wait(booking: Booking, *, day: SurgeryDay, topic_ids: set[int]) -> bool:
    """Put the learner on the day's waiting list; whether they are on it now.

    Someone already waiting keeps their earlier place in the queue. Someone the
    waiting list refuses (blocked since they booked) must not be told they wait.
    """
    if WaitingListEntry.objects.filter(
        day=day, person=booking.learner, status=WaitingListEntry.Status.WAITING
    ).exists():
        return True
    try:
        waiting_list_join(day=day, person=booking.learner, topic_ids=topic_ids, note=booking.note)
    except errors.SurgeryError:
        return False
    return True
