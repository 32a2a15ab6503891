"""The core of every one-to-one booking: the checks, the write and the database's refusals.

`book_locked_slot` is the one way a session is booked (by hand, at the desk, from
the waiting list, by matchmaking). It imports no booking flow, so the flows
(`booking.py`) and the waiting list (`waiting.py`) both build on it.
See docs/booking.md.
"""

from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from datetime import datetime

from django.db import IntegrityError, OperationalError
from django.utils import timezone

from people.models import Topic, User
from people.selectors import active_topics_of, is_blocked
from surgeries import errors
from surgeries.models import Booking, Commitment, Slot, SurgeryDay
from surgeries.services.locking import lock_people
from surgeries.templatetags.venue_time import venue_date_at_time

# What else the database refuses when a session is booked, by a word of its message.
SESSION_REFUSALS: Sequence[tuple[str, type[errors.SurgeryError]]] = (("oneself", errors.BookingWithOneself),)


def translate_integrity_error(
    error: IntegrityError,
    *,
    learner_id: int | None = None,
    refusals: Sequence[tuple[str, type[errors.SurgeryError]]] = SESSION_REFUSALS,
    otherwise: type[errors.SurgeryError] = errors.SlotTaken,
) -> errors.SurgeryError:
    """The database refused a write another request raced us to; say so kindly.

    1. The overlap constraint: someone is busy. PostgreSQL names the clashing person,
       so when `learner_id` is given and someone else clashed, it is the surgeon.
    2. Else the first of `refusals` whose word is in the message (PostgreSQL names
       the constraint, SQLite the columns of a unique index).
    3. Else `otherwise`: the place itself was taken.
    Workshops pass their own `refusals` and `otherwise` for seats.
    """
    text = str(error)
    if "no_overlap" in text:
        # PostgreSQL names the clashing person: "Key (person_id, ...)=(42, [...".
        learner_clash = learner_id is not None and f")=({learner_id}," in text
        return errors.PersonBusy() if learner_clash or learner_id is None else errors.SurgeonBusy()
    for word, refusal in refusals:
        if word in text:
            return refusal()
    return otherwise()


DEADLOCK_DETECTED = "40P01"


def is_deadlock(error: OperationalError) -> bool:
    """PostgreSQL broke a lock cycle by stopping us; nothing was saved, so trying again is safe."""
    return getattr(error.__cause__, "pgcode", None) == DEADLOCK_DETECTED


@contextmanager
def friendly_database_errors(*, learner_id: int | None = None):
    """Turn the database refusing a write into the domain error a person can act on."""
    try:
        yield
    except IntegrityError as error:
        raise translate_integrity_error(error, learner_id=learner_id) from error
    except OperationalError as error:
        if not is_deadlock(error):
            raise
        raise errors.BookingError("Lots of people are booking right now. Please try again.") from error


def booking_window_is_open(*, day: SurgeryDay, slot: Slot, now: datetime) -> bool:
    return slot.starts_at > now and day.takes_bookings(now)


def _check_can_book(*, slot: Slot, day: SurgeryDay, learner: User, at_desk: bool, now: datetime) -> None:
    """Every booking rule except overlaps, which need the people locked first."""
    if day.status != SurgeryDay.Status.PUBLISHED or not slot.is_offered:
        raise errors.BookingClosed()
    if not at_desk and day.opens_for_booking_later(now):
        raise errors.BookingClosed(f"Booking opens on {venue_date_at_time(day.booking_opens_at, day.time_zone)}.")
    if not at_desk and not booking_window_is_open(day=day, slot=slot, now=now):
        raise errors.BookingClosed()
    if learner.pk == slot.surgeon_id:
        raise errors.BookingWithOneself()
    if is_blocked(person=learner, organisation=day.organisation):
        raise errors.PersonBlocked()
    if Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).exists():
        raise errors.SlotTaken()


def _check_people_free(*, slot: Slot, learner: User) -> None:
    busy = set(
        Commitment.objects.overlapping([learner.pk, slot.surgeon_id], slot.starts_at, slot.ends_at).values_list(
            "person_id", flat=True
        )
    )
    if learner.pk in busy:
        raise errors.PersonBusy()
    if slot.surgeon_id in busy:
        raise errors.SurgeonBusy()
    taken = Booking.objects.filter(slot__day_surgeon_id=slot.day_surgeon_id, status=Booking.Status.ACTIVE).count()
    if taken >= slot.day_surgeon.max_sessions:
        raise errors.SurgeonFull()


def _check_fair_share(*, day: SurgeryDay, learner: User) -> None:
    """The day's limit of sessions per learner. Asked once the learner is locked, so
    two bookings for one person at once are counted one after the other."""
    if day.max_sessions_per_learner is None:
        return
    held = Booking.objects.filter(day=day, learner=learner, status=Booking.Status.ACTIVE).count()
    if day.learner_limit_reached(held):
        raise errors.SessionLimitReached(held)


def _valid_topics(*, day: SurgeryDay, topic_ids: Iterable[int]) -> list[Topic]:
    return list(active_topics_of(organisation_id=day.organisation_id).filter(pk__in=list(topic_ids)))


def book_locked_slot(
    *,
    slot: Slot,
    learner: User,
    topic_ids: Iterable[int] = (),
    note: str = "",
    booked_by: User | None = None,
    is_walk_in: bool = False,
    at_desk: bool = False,
    beyond_limit: bool = False,
    day: SurgeryDay | None = None,
) -> Booking:
    """Book a slot the caller has already locked. Runs inside the caller's transaction.

    `beyond_limit` lets an organiser at the desk book past the day's sessions-per-learner
    limit; every other rule, and every lock, still applies.

    `day` is the slot's day (with its organisation), read in this transaction, when the
    caller has it already: matchmaking's confirm books a batch of one day's slots.
    """
    if day is None or day.pk != slot.day_id:
        day = SurgeryDay.objects.select_related("organisation").get(pk=slot.day_id)
    now = timezone.now()
    _check_can_book(slot=slot, day=day, learner=learner, at_desk=at_desk, now=now)
    lock_people([learner.pk, slot.surgeon_id])
    _check_people_free(slot=slot, learner=learner)
    if not beyond_limit:
        _check_fair_share(day=day, learner=learner)
    booking = Booking(
        day=day,
        slot=slot,
        learner=learner,
        surgeon_id=slot.surgeon_id,
        note=note.strip(),
        booked_by=booked_by or learner,
        is_walk_in=is_walk_in,
        created_at=now,
    )
    # The related rows were just read (the slot and people locked); the database checks the keys.
    booking.full_clean(exclude=["day", "slot", "learner", "surgeon", "booked_by"], validate_constraints=False)
    booking.save()
    topic_ids = list(topic_ids)
    if topic_ids:
        booking.topics.add(*_valid_topics(day=day, topic_ids=topic_ids))
    Commitment.objects.bulk_create(
        Commitment(
            person_id=person_id, day=day, starts_at=slot.starts_at, ends_at=slot.ends_at, role=role, booking=booking
        )
        for person_id, role in ((learner.pk, Commitment.Role.LEARNER), (slot.surgeon_id, Commitment.Role.SURGEON))
    )
    return booking
