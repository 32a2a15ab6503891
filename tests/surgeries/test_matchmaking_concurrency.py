"""PostgreSQL: confirming a proposal while people book the same slots by hand.

Confirming is all or nothing: either every proposed pair is booked and the hand
bookings on those slots are refused, or confirming fails and books nothing.
"""

import threading

import pytest
from django.db import connection

from people.models import User
from surgeries import errors
from surgeries.models import Booking, MatchRequest
from surgeries.services import booking_create
from surgeries.services.matchmaking import matchmaking_run, proposal_confirm
from tests.surgeries.matchmaking_helpers import add_request, add_surgeon, make_day

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAIRS = 6
HAND_BOOKERS = 6


@pytest.fixture(autouse=True)
def _needs_postgres():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (CI runs the suite on PostgreSQL)")


def _run_together(jobs) -> list[str]:
    outcomes: list[str] = []
    barrier = threading.Barrier(len(jobs))

    def worker(job):
        try:
            barrier.wait(timeout=30)
            outcomes.append(job())
        except errors.SurgeryError as error:
            outcomes.append(type(error).__name__)
        except Exception as error:  # a deadlock or an error page: the test must fail
            outcomes.append(f"crash: {type(error).__name__}")
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(job,)) for job in jobs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.parametrize("attempt", range(3))
def test_confirm_and_hand_booking_never_half_book(organisation, organiser, attempt):
    day, topics = make_day(organisation)
    _, slots = add_surgeon(day, offers={topics["Blogging"]: 2}, slots=PAIRS, max_sessions=PAIRS + HAND_BOOKERS)
    for _ in range(PAIRS):
        add_request(day, topics={topics["Blogging"]: 1})
    proposal = matchmaking_run(day=day, by=organiser).proposal
    walk_ups = User.objects.bulk_create(
        User(email=f"walkup{attempt}-{i}@example.org", display_name=f"Walk-up {i}", password="!")
        for i in range(HAND_BOOKERS)
    )
    jobs = [lambda: str(len(proposal_confirm(day=day, proposal_id=proposal.pk, by=organiser)))]
    jobs += [
        (lambda slot=slot, person=person: booking_create(slot_id=slot.pk, learner=person) and "booked")
        for slot, person in zip(reversed(slots), walk_ups, strict=True)
    ]

    outcomes = _run_together(jobs)

    assert [outcome for outcome in outcomes if outcome.startswith("crash")] == []
    active = Booking.objects.filter(day=day, status=Booking.Status.ACTIVE)
    matched = MatchRequest.objects.filter(day=day, status=MatchRequest.Status.MATCHED).count()
    assert active.count() == len(set(active.values_list("slot_id", flat=True)))
    assert matched in (0, PAIRS)
    assert active.exclude(learner__in=walk_ups).count() == matched
    assert ("6" in outcomes) == (matched == PAIRS)
