"""The core of every one-to-one booking: the checks, the write and the database's refusals.

`book_locked_slot` is the one way a session is booked (by hand, at the desk, from
the waiting list, by matchmaking). It imports no booking flow, so the flows
(`booking.py`) and the waiting list (`waiting.py`) both build on it.
See docs/booking.md.
"""

from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime

from django.db import IntegrityError, OperationalError
from django.db.models import Count
from django.utils import timezone

from people.models import Topic, User
from people.selectors import active_topics_of, blocked_people
from surgeries import errors
from surgeries.day_version import bump_day_version
from surgeries.models import Booking, Commitment, Slot, SurgeryDay
from surgeries.models.booking import overlaps_any
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


@dataclass
class BookingFacts:
    """What the booking rules ask of the database, read once for one booking or for a batch.

    The rules below (`_check_can_book`, `_check_people_free`, `_check_fair_share`) only
    read these, so one booking by hand and a batch of matchmaking's pairs keep exactly
    the same rules in the same order; only how often the facts are read differs. A batch
    records each booking it makes (`record`), so the next pair sees it as a later
    booking by hand would see the row.
    """

    blocked: set[int] = field(default_factory=set)  # learners the organisation has blocked
    taken: set[int] = field(default_factory=set)  # slots with an active booking
    busy: defaultdict[int, list[tuple[datetime, datetime]]] = field(default_factory=lambda: defaultdict(list))
    sessions: Counter = field(default_factory=Counter)  # day surgeon id → active bookings
    held: Counter = field(default_factory=Counter)  # learner id → active bookings on the day

    def record(self, *, slot: Slot, learner_id: int) -> None:
        self.taken.add(slot.pk)
        for person_id in (learner_id, slot.surgeon_id):
            self.busy[person_id].append((slot.starts_at, slot.ends_at))
        self.sessions[slot.day_surgeon_id] += 1
        self.held[learner_id] += 1


def _read_before_people(facts: BookingFacts, *, day: SurgeryDay, slots: Sequence[Slot], learner_ids: list[int]) -> None:
    """What the rules ask before the people are locked: blocks and slots already taken (two queries)."""
    blocked = blocked_people(organisation_id=day.organisation_id).filter(person_id__in=learner_ids)
    facts.blocked.update(blocked.values_list("person_id", flat=True))
    taken = Booking.objects.filter(slot_id__in=[slot.pk for slot in slots], status=Booking.Status.ACTIVE)
    facts.taken.update(taken.values_list("slot_id", flat=True))


def _read_after_people(
    facts: BookingFacts, *, day: SurgeryDay, slots: Sequence[Slot], learner_ids: list[int], fair_share: bool
) -> None:
    """What the rules ask once the people are locked: their commitments over the slots'
    times, the surgeons' sessions and, with a limit, the learners' sessions that day
    (two or three queries)."""
    people = sorted({*learner_ids, *(slot.surgeon_id for slot in slots)})
    starts, ends = min(slot.starts_at for slot in slots), max(slot.ends_at for slot in slots)
    commitments = Commitment.objects.overlapping(people, starts, ends).values_list("person_id", "starts_at", "ends_at")
    for person_id, starts_at, ends_at in commitments:
        facts.busy[person_id].append((starts_at, ends_at))
    booked = Booking.objects.filter(
        slot__day_surgeon_id__in={slot.day_surgeon_id for slot in slots}, status=Booking.Status.ACTIVE
    )
    facts.sessions.update(dict(booked.order_by().values_list("slot__day_surgeon_id").annotate(n=Count("id"))))
    if fair_share and day.max_sessions_per_learner is not None:
        held = Booking.objects.filter(day=day, learner_id__in=learner_ids, status=Booking.Status.ACTIVE)
        facts.held.update(dict(held.order_by().values_list("learner_id").annotate(n=Count("id"))))


def _check_can_book(
    *, slot: Slot, day: SurgeryDay, learner: User, at_desk: bool, now: datetime, facts: BookingFacts
) -> None:
    """Every booking rule except overlaps and counts, which need the people locked first."""
    if day.status != SurgeryDay.Status.PUBLISHED or not slot.is_offered:
        raise errors.BookingClosed()
    if not at_desk and day.opens_for_booking_later(now):
        raise errors.BookingClosed(f"Booking opens on {venue_date_at_time(day.booking_opens_at, day.time_zone)}.")
    if not at_desk and not booking_window_is_open(day=day, slot=slot, now=now):
        raise errors.BookingClosed()
    if learner.pk == slot.surgeon_id:
        raise errors.BookingWithOneself()
    if learner.pk in facts.blocked:
        raise errors.PersonBlocked()
    if slot.pk in facts.taken:
        raise errors.SlotTaken()


def _check_people_free(*, slot: Slot, learner: User, facts: BookingFacts) -> None:
    if overlaps_any(facts.busy.get(learner.pk, ()), slot.starts_at, slot.ends_at):
        raise errors.PersonBusy()
    if overlaps_any(facts.busy.get(slot.surgeon_id, ()), slot.starts_at, slot.ends_at):
        raise errors.SurgeonBusy()
    if facts.sessions[slot.day_surgeon_id] >= slot.day_surgeon.max_sessions:
        raise errors.SurgeonFull()


def _check_fair_share(*, day: SurgeryDay, learner: User, facts: BookingFacts) -> None:
    """The day's limit of sessions per learner. Counted once the learner is locked, so
    two bookings for one person at once are counted one after the other."""
    if day.max_sessions_per_learner is None:
        return
    held = facts.held[learner.pk]
    if day.learner_limit_reached(held):
        raise errors.SessionLimitReached(held)


def _check_locked_people(
    *, slot: Slot, day: SurgeryDay, learner: User, beyond_limit: bool, facts: BookingFacts
) -> None:
    """The rules asked once the people are locked, in the order a booking by hand asks them."""
    _check_people_free(slot=slot, learner=learner, facts=facts)
    if not beyond_limit:
        _check_fair_share(day=day, learner=learner, facts=facts)


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
    caller has it already.
    """
    if day is None or day.pk != slot.day_id:
        day = SurgeryDay.objects.select_related("organisation").get(pk=slot.day_id)
    now, facts = timezone.now(), BookingFacts()
    _read_before_people(facts, day=day, slots=[slot], learner_ids=[learner.pk])
    _check_can_book(slot=slot, day=day, learner=learner, at_desk=at_desk, now=now, facts=facts)
    lock_people([learner.pk, slot.surgeon_id])
    _read_after_people(facts, day=day, slots=[slot], learner_ids=[learner.pk], fair_share=not beyond_limit)
    _check_locked_people(slot=slot, day=day, learner=learner, beyond_limit=beyond_limit, facts=facts)
    booking = _new_booking(
        day=day, slot=slot, learner=learner, note=note, booked_by=booked_by, now=now, is_walk_in=is_walk_in
    )
    booking.save()
    topic_ids = list(topic_ids)
    if topic_ids:
        booking.topics.add(*_valid_topics(day=day, topic_ids=topic_ids))
    Commitment.objects.bulk_create(_commitments(booking))
    return booking


@dataclass(frozen=True)
class SlotToBook:
    """One booking of a batch: a slot the caller has locked, and who it is for."""

    slot: Slot  # with its `day_surgeon` attached
    learner: User
    topic_ids: Sequence[int] = ()
    note: str = ""
    booked_by: User | None = None


def book_locked_slots(
    *, day: SurgeryDay, wanted: Sequence[SlotToBook], at_desk: bool = False
) -> list[Booking | errors.BookingError]:
    """Book many of one day's slots at once, each with the rules and in the order of
    `book_locked_slot`; for each, the booking or the rule it breaks.

    Runs inside the caller's transaction, which has locked the slots and then all of
    their people (learners and surgeons), in the order surgeries/services/locking.py
    keeps, before calling. The rules' facts are read once for the whole batch (blocks,
    slots taken, the people's commitments, the surgeons' and learners' sessions), each
    booking made counts for the next, and the bookings, their topics and their
    commitments are written with one insert each. A write the database refuses (a race
    the locks did not cover) raises IntegrityError and spoils the transaction: the
    caller then books the batch one by one with `book_locked_slot` in savepoints.
    """
    if not wanted:
        return []
    now, facts = timezone.now(), BookingFacts()
    slots, learner_ids = [w.slot for w in wanted], [w.learner.pk for w in wanted]
    _read_before_people(facts, day=day, slots=slots, learner_ids=learner_ids)
    _read_after_people(facts, day=day, slots=slots, learner_ids=learner_ids, fair_share=True)
    results: list[Booking | errors.BookingError] = []
    for want in wanted:
        try:
            _check_can_book(slot=want.slot, day=day, learner=want.learner, at_desk=at_desk, now=now, facts=facts)
            _check_locked_people(slot=want.slot, day=day, learner=want.learner, beyond_limit=False, facts=facts)
        except errors.BookingError as error:
            results.append(error)
            continue
        facts.record(slot=want.slot, learner_id=want.learner.pk)
        booking = _new_booking(
            day=day, slot=want.slot, learner=want.learner, note=want.note, booked_by=want.booked_by, now=now
        )
        results.append(booking)
    made = [(want, b) for want, b in zip(wanted, results, strict=True) if isinstance(b, Booking)]
    if made:
        Booking.objects.bulk_create([booking for _, booking in made])
        topics = {t.pk: t for t in _valid_topics(day=day, topic_ids={t for want, _ in made for t in want.topic_ids})}
        Booking.topics.through.objects.bulk_create(
            Booking.topics.through(booking_id=booking.pk, topic_id=topic_id)
            for want, booking in made
            for topic_id in dict.fromkeys(want.topic_ids)
            if topic_id in topics
        )
        Commitment.objects.bulk_create(c for _, booking in made for c in _commitments(booking))
        bump_day_version(day.pk)  # bulk_create sends no signal (surgeries/day_version.py)
    return results


def _new_booking(
    *, day: SurgeryDay, slot: Slot, learner: User, note: str, booked_by: User | None, now: datetime, is_walk_in=False
) -> Booking:
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
    return booking


def _commitments(booking: Booking) -> list[Commitment]:
    slot = booking.slot
    return [
        Commitment(
            person_id=person_id,
            day=booking.day,
            starts_at=slot.starts_at,
            ends_at=slot.ends_at,
            role=role,
            booking=booking,
        )
        for person_id, role in (
            (booking.learner_id, Commitment.Role.LEARNER),
            (slot.surgeon_id, Commitment.Role.SURGEON),
        )
    ]
