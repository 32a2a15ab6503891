"""Many people pressing "Book" at the same moment, on PostgreSQL with real threads.

Each thread has its own database connection; a barrier releases them together.
PostgreSQL here allows 100 connections in all, so 200 attempts are made by
CONCURRENCY_THREADS threads (40 by default) each making its share in turn.

The first tests show the race is real: with the row locks switched off the
database constraints are what stop double bookings, and with those dropped too
the same test sees more than one booking. The rest show the locks hold.
"""

import contextlib
import time
from collections import Counter
from datetime import timedelta
from importlib import import_module

import pytest
from django.db import connection

from surgeries import errors
from surgeries.models import Booking
from surgeries.services import booking as booking_service
from surgeries.services import booking_core, locking
from tests.concurrency import THREADS, racers
from tests.concurrency import race as shared_race
from tests.factories import DaySurgeonFactory, SlotFactory, SurgeryDayFactory

ATTEMPTS = 200
TAKEN = errors.SlotTaken.default_message
BUSY = errors.PersonBusy.default_message
# What a person is told when the database broke a lock cycle (booking_core.friendly_database_errors).
TRY_AGAIN = "Lots of people are booking right now. Please try again."
OVERLAP_MIGRATION = import_module("surgeries.migrations.0003_commitment_no_overlap")

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wide_race_window(monkeypatch):
    """Pause between the checks and the write, so an unlocked race shows every time."""
    real_check = booking_core._check_people_free

    def slow_check(**kwargs):
        time.sleep(0.02)
        return real_check(**kwargs)

    monkeypatch.setattr(booking_core, "_check_people_free", slow_check)


@pytest.fixture
def integrity_errors(monkeypatch):
    """Count how often the database, not the service's own check, refused a write."""
    seen = []
    real = booking_core.translate_integrity_error

    def counting(error, **kwargs):
        seen.append(str(error))
        return real(error, **kwargs)

    monkeypatch.setattr(booking_core, "translate_integrity_error", counting)
    return seen


def race(attempt, attempts: int = ATTEMPTS, threads: int = THREADS) -> Counter:
    return shared_race(attempt, attempts=attempts, threads=threads, success="booked", domain_error=errors.BookingError)


@contextlib.contextmanager
def without_database_constraints():
    """Drop both booking constraints for one test, and put them back afterwards."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX booking_one_active_per_slot")
        cursor.execute(OVERLAP_MIGRATION.DROP_SQL)
    try:
        yield
    finally:
        Booking.objects.all().delete()
        constraint = next(c for c in Booking._meta.constraints if c.name == "booking_one_active_per_slot")
        with connection.schema_editor() as editor:
            editor.add_constraint(Booking, constraint)
        with connection.cursor() as cursor:
            cursor.execute(OVERLAP_MIGRATION.CONSTRAINT_SQL)


def _one_slot_many_learners():
    return SlotFactory(), racers(ATTEMPTS)


def _one_learner_many_overlapping_slots():
    day = SurgeryDayFactory()
    learner, *surgeons = racers(ATTEMPTS + 1)
    slots = [SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon)) for surgeon in surgeons]
    return learner, slots


def test_race_without_lock_or_constraint_double_books_a_slot(monkeypatch, wide_race_window):
    slot, learners = _one_slot_many_learners()
    monkeypatch.setattr(locking, "LOCKS_ENABLED", False)

    with without_database_constraints():
        race(lambda i: booking_service.booking_create(slot_id=slot.pk, learner=learners[i]))
        double_booked = Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).count()

    assert double_booked > 1


def test_race_without_lock_is_stopped_by_the_database_with_a_friendly_message(
    monkeypatch, wide_race_window, integrity_errors
):
    slot, learners = _one_slot_many_learners()
    monkeypatch.setattr(locking, "LOCKS_ENABLED", False)

    outcomes = race(lambda i: booking_service.booking_create(slot_id=slot.pk, learner=learners[i]))

    # Unlocked, some late checks see the surgeon already busy, and inserts that reach the
    # surgeon's overlap constraint together may end as a deadlock: friendly refusals too.
    assert outcomes["booked"] == 1
    assert set(outcomes) <= {"booked", TAKEN, errors.SurgeonBusy.default_message, TRY_AGAIN}
    assert len(integrity_errors) > 0
    assert Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).count() == 1


def test_race_for_one_slot_books_exactly_one_person(wide_race_window, integrity_errors):
    slot, learners = _one_slot_many_learners()

    outcomes = race(lambda i: booking_service.booking_create(slot_id=slot.pk, learner=learners[i]))

    assert outcomes == Counter({"booked": 1, TAKEN: ATTEMPTS - 1})
    assert integrity_errors == []  # the lock, not the constraint, did the work
    assert Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).count() == 1


def test_race_without_lock_or_constraint_books_one_person_twice_at_once(monkeypatch, wide_race_window):
    learner, slots = _one_learner_many_overlapping_slots()
    monkeypatch.setattr(locking, "LOCKS_ENABLED", False)

    with without_database_constraints():
        race(lambda i: booking_service.booking_create(slot_id=slots[i].pk, learner=learner))
        overlapping = Booking.objects.filter(learner=learner, status=Booking.Status.ACTIVE).count()

    assert overlapping > 1


def test_race_without_lock_for_one_person_is_stopped_by_the_exclusion_constraint(
    monkeypatch, wide_race_window, integrity_errors
):
    learner, slots = _one_learner_many_overlapping_slots()
    monkeypatch.setattr(locking, "LOCKS_ENABLED", False)

    outcomes = race(lambda i: booking_service.booking_create(slot_id=slots[i].pk, learner=learner))

    # PostgreSQL refuses an overlapping insert once the first commits ("already
    # booked"); inserts that reach the constraint together can wait on each other,
    # and it breaks that cycle as a deadlock ("try again"). Both are refusals; how
    # many of each depends on timing (a loaded machine saw only the second).
    refusals = Counter({message: count for message, count in outcomes.items() if message != "booked"})
    assert outcomes["booked"] == 1
    assert set(refusals) <= {BUSY, TRY_AGAIN}
    assert refusals.total() == ATTEMPTS - 1
    assert Booking.objects.filter(learner=learner, status=Booking.Status.ACTIVE).count() == 1
    # The database, not the service's own check, stopped some of them.
    assert len(integrity_errors) + refusals[TRY_AGAIN] > 0


def test_race_for_one_person_across_overlapping_slots_books_exactly_once(wide_race_window, integrity_errors):
    learner, slots = _one_learner_many_overlapping_slots()

    outcomes = race(lambda i: booking_service.booking_create(slot_id=slots[i].pk, learner=learner))

    assert outcomes == Counter({"booked": 1, BUSY: ATTEMPTS - 1})
    assert integrity_errors == []
    assert Booking.objects.filter(learner=learner, status=Booking.Status.ACTIVE).count() == 1


# --- fair shares: one learner, several slots at different times, a limit of one ---

LIMIT_REACHED = "You have 1 session this day, the most this surgery allows."


@pytest.fixture
def wide_fair_share_window(monkeypatch):
    """Pause after counting the learner's sessions, so an unlocked race counts before either writes."""
    real_check = booking_core._check_fair_share

    def slow_check(**kwargs):
        real_check(**kwargs)
        time.sleep(0.05)

    monkeypatch.setattr(booking_core, "_check_fair_share", slow_check)


def _one_learner_slots_at_different_times(count: int):
    day = SurgeryDayFactory(max_sessions_per_learner=1)
    learner, *surgeons = racers(count + 1, prefix="fair")
    slots = [
        SlotFactory(
            day_surgeon=DaySurgeonFactory(day=day, person=surgeon), starts_at=day.starts_at + timedelta(minutes=30 * k)
        )
        for k, surgeon in enumerate(surgeons)
    ]
    return learner, slots


def test_race_without_lock_gives_one_learner_more_than_the_limit(monkeypatch, wide_fair_share_window):
    learner, slots = _one_learner_slots_at_different_times(2)
    monkeypatch.setattr(locking, "LOCKS_ENABLED", False)

    outcomes = race(lambda i: booking_service.booking_create(slot_id=slots[i].pk, learner=learner), 2, 2)

    assert outcomes == Counter({"booked": 2})


@pytest.mark.parametrize("slot_count", [2, 20])
def test_race_for_one_learners_slots_at_once_books_exactly_the_limit(wide_fair_share_window, slot_count):
    learner, slots = _one_learner_slots_at_different_times(slot_count)

    outcomes = race(
        lambda i: booking_service.booking_create(slot_id=slots[i].pk, learner=learner), slot_count, slot_count
    )

    assert outcomes == Counter({"booked": 1, LIMIT_REACHED: slot_count - 1})
    assert Booking.objects.filter(learner=learner, status=Booking.Status.ACTIVE).count() == 1
