"""A surgeon withdraws while learners press "Book" on the very session, on PostgreSQL with real threads.

Each round, one thread withdraws the surgeon from their session and the others try
to book it, released together. Without the locks a booking can pass its checks
before the withdrawal and land after it: a learner booked with a surgeon who is not
coming. With them, a booking either commits first (and the withdrawal moves it) or
waits and finds the session no longer offered.
"""

import time

import pytest

from surgeries import errors
from surgeries.models import Booking, SurgeonWithdrawal
from surgeries.services import booking_core, booking_create, locking, surgeon_withdraw
from tests.concurrency import race, racers
from tests.factories import DaySurgeonFactory, SlotFactory, SurgeryDayFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

ROUNDS = 8
THREADS = 12


@pytest.fixture
def wide_race_window(monkeypatch):
    """Pause between a booking's checks and its write, so an unlocked race shows."""
    real_check = booking_core._check_people_free

    def slow_check(**kwargs):
        time.sleep(0.02)
        return real_check(**kwargs)

    monkeypatch.setattr(booking_core, "_check_people_free", slow_check)


def _round(number: int):
    """Withdraw from the one session while THREADS - 1 learners try to book it; another surgeon is free later."""
    day = SurgeryDayFactory()
    leaving = DaySurgeonFactory(day=day)
    slot = SlotFactory(day_surgeon=leaving)
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=slot.ends_at)
    learners = racers(THREADS, prefix=f"round{number}-")

    def attempt(index: int):
        if index == 0:
            return surgeon_withdraw(day_surgeon_id=leaving.pk, by=leaving.person)
        return booking_create(slot_id=slot.pk, learner=learners[index])

    outcomes = race(attempt, attempts=THREADS, threads=THREADS, success="done", domain_error=errors.SurgeryError)
    return day, slot, outcomes


def _left_with_absent_surgeon(slot) -> int:
    slot.refresh_from_db()
    booked = Booking.objects.filter(slot=slot, status=Booking.Status.ACTIVE).count()
    return booked if not slot.is_offered else 0


def test_race_without_lock_leaves_a_learner_booked_with_an_absent_surgeon(monkeypatch, wide_race_window):
    monkeypatch.setattr(locking, "LOCKS_ENABLED", False)

    stranded = sum(_left_with_absent_surgeon(_round(number)[1]) for number in range(ROUNDS))

    assert stranded > 0


def test_withdraw_during_bookings_never_leaves_a_learner_with_an_absent_surgeon(wide_race_window):
    for number in range(ROUNDS):
        day, slot, outcomes = _round(number)

        assert not [outcome for outcome in outcomes if outcome.startswith("crash")], outcomes
        assert _left_with_absent_surgeon(slot) == 0
        withdrawal = SurgeonWithdrawal.objects.get(day=day)
        # A booking that won the race was moved to the other surgeon or wait-listed, never lost.
        assert withdrawal.rebooked + withdrawal.waiting == Booking.objects.filter(slot=slot).count()
