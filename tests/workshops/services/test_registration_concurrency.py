"""Many people pressing "Register" for the last places at once, on PostgreSQL.

Real threads, each with its own database connection, released together by a
barrier. PostgreSQL here allows 100 connections in all (shared with other test
runs), so the 200 attempts are made by CONCURRENCY_THREADS threads (40 by
default), each making its share in turn as fast as it can.

The first test shows the race is real: with the row locks off and the seat
constraint dropped, the workshop ends up over capacity. The second shows the
seat constraint alone still stops that, with the same friendly message. The
last shows the lock does the work and the constraint never has to.
"""

import contextlib
import time
from collections import Counter

import pytest
from django.db import connection

from people.models import User
from surgeries.errors import SurgeryError
from surgeries.services import locking
from tests.concurrency import race as shared_race
from tests.concurrency import racers
from tests.factories import WorkshopFactory
from workshops import errors
from workshops.models import Registration, Workshop
from workshops.services import registration

ATTEMPTS = 200
CAPACITY = 20
PLACES_LEFT = 5
FULL = errors.WorkshopFull.default_message

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def wide_race_window(monkeypatch):
    """Pause between counting free seats and writing, so an unlocked race shows every time."""
    real_free_seat = registration.free_seat

    def slow_free_seat(**kwargs):
        seat = real_free_seat(**kwargs)
        time.sleep(0.02)
        return seat

    monkeypatch.setattr(registration, "free_seat", slow_free_seat)


@pytest.fixture
def integrity_errors(monkeypatch):
    """Count how often the database, not the service's own check, refused a write."""
    seen = []
    real = registration.translate_integrity_error

    def counting(error, **kwargs):
        seen.append(str(error))
        return real(error, **kwargs)

    monkeypatch.setattr(registration, "translate_integrity_error", counting)
    return seen


@pytest.fixture
def no_locks(monkeypatch):
    # One switch for the workshop lock and the people locks alike.
    monkeypatch.setattr(locking, "LOCKS_ENABLED", False)


@pytest.fixture
def nearly_full_workshop() -> tuple[Workshop, list[User]]:
    """A workshop with PLACES_LEFT places left, and ATTEMPTS people who want one."""
    workshop = WorkshopFactory(capacity=CAPACITY)
    for person in racers(CAPACITY - PLACES_LEFT, "early"):
        registration.registration_create(workshop_id=workshop.pk, person=person)
    return workshop, racers(ATTEMPTS, "racer")


def race(attempt) -> Counter:
    return shared_race(attempt, attempts=ATTEMPTS, success="registered", domain_error=SurgeryError)


@contextlib.contextmanager
def without_seat_constraint():
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX registration_one_per_seat")
    try:
        yield
    finally:
        Registration.objects.all().delete()
        constraint = next(c for c in Registration._meta.constraints if c.name == "registration_one_per_seat")
        with connection.schema_editor() as editor:
            editor.add_constraint(Registration, constraint)


def _active(workshop: Workshop) -> int:
    return Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE).count()


def _register(workshop: Workshop, people: list[User]):
    return lambda i: registration.registration_create(workshop_id=workshop.pk, person=people[i])


def test_race_without_lock_or_seat_constraint_goes_over_capacity(nearly_full_workshop, no_locks, wide_race_window):
    workshop, people = nearly_full_workshop

    with without_seat_constraint():
        outcomes = race(_register(workshop, people))
        over = _active(workshop) - CAPACITY

    assert outcomes["registered"] > PLACES_LEFT
    assert over > 0


def test_race_without_lock_is_stopped_by_the_seat_constraint(
    nearly_full_workshop, no_locks, wide_race_window, integrity_errors
):
    workshop, people = nearly_full_workshop

    outcomes = race(_register(workshop, people))

    # Unlocked, racers collide on a seat and some places may stay empty, but never too many.
    assert set(outcomes) <= {"registered", FULL}
    assert 1 <= outcomes["registered"] <= PLACES_LEFT
    assert len(integrity_errors) > 0
    assert _active(workshop) <= CAPACITY


def test_race_for_the_last_places_registers_exactly_that_many(nearly_full_workshop, wide_race_window, integrity_errors):
    workshop, people = nearly_full_workshop

    outcomes = race(_register(workshop, people))

    assert outcomes == Counter({"registered": PLACES_LEFT, FULL: ATTEMPTS - PLACES_LEFT})
    assert integrity_errors == []  # the lock, not the constraint, did the work
    assert _active(workshop) == CAPACITY
    seats = Registration.objects.filter(workshop=workshop, status="active").values_list("seat_number", flat=True)
    assert sorted(seats) == list(range(1, CAPACITY + 1))


def test_race_cancel_and_register_hands_a_freed_place_out_exactly_once(nearly_full_workshop):
    """Half the racers cancel existing places while the other half join the waiting list."""
    workshop, people = nearly_full_workshop
    for person in people[:PLACES_LEFT]:
        registration.registration_create(workshop_id=workshop.pk, person=person)
    holders = list(Registration.objects.filter(workshop=workshop, status="active").select_related("person")[:10])
    waiting = people[PLACES_LEFT : PLACES_LEFT + 60]

    def attempt(i):
        if i < len(holders):
            registration.registration_cancel(registration_id=holders[i].pk, by=holders[i].person)
        elif i - len(holders) < len(waiting):
            registration.waiting_list_join(workshop_id=workshop.pk, person=waiting[i - len(holders)])

    race(attempt)

    assert _active(workshop) == CAPACITY
    promoted = Registration.objects.filter(workshop=workshop, status="active", person__in=waiting)
    assert promoted.count() == len(set(promoted.values_list("person", flat=True))) == 10
