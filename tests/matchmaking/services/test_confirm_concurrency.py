"""PostgreSQL, real threads: confirming a proposal while other things happen at once.

- Confirming while people book the same slots by hand: every slot is booked once,
  and each pair is either booked or says why not.
- The organiser presses "Confirm" twice at the same moment: only one booking job is
  queued. Without the row locks the race is real (several are queued), and even
  then the job books each pair once.
- Two booking jobs for one proposal at once (a message handed out twice): each pair
  is booked once and each learner is told once.
"""

import time
from collections import Counter

import pytest

from matchmaking.models import MatchProposal, MatchRequest, ProposedPair
from matchmaking.services import MatchmakingError, matchmaking_run
from matchmaking.services import confirm as confirming
from matchmaking.services.confirm import proposal_confirm_pairs, proposal_confirm_start
from outbox.models import Notification
from people.models import User
from surgeries import errors
from surgeries.models import Booking
from surgeries.notifications import BOOKING_CONFIRMED
from surgeries.services import booking_create, locking
from tests.concurrency import race
from tests.factories import add_request, add_surgeon, make_day

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PAIRS = 6
HAND_BOOKERS = 6
PRESSES = 20
STARTED = "started"
ALREADY = {"This proposal is already being confirmed.", "This proposal has already been confirmed."}


@pytest.fixture
def queued(monkeypatch) -> list[int]:
    """Count the booking jobs queued; each still runs, here, as a worker would run it."""
    calls = []

    def counting(*, proposal_id):
        calls.append(proposal_id)
        confirming.proposal_confirm_pairs(proposal_id=proposal_id)

    monkeypatch.setattr(confirming, "queue_confirm", counting)
    return calls


@pytest.fixture
def wide_confirm_window(monkeypatch):
    """Pause between reading the proposal and marking it, so an unlocked race shows every time."""
    real = confirming.lock_proposal

    def slow(**kwargs):
        proposal = real(**kwargs)
        time.sleep(0.05)
        return proposal

    monkeypatch.setattr(confirming, "lock_proposal", slow)


def _proposal(organisation, organiser, *, pairs: int, spare_sessions: int = 0):
    day, topics = make_day(organisation)
    _, slots = add_surgeon(day, offers={topics["Blogging"]: 2}, slots=pairs, max_sessions=pairs + spare_sessions)
    for _ in range(pairs):
        add_request(day, topics={topics["Blogging"]: 1})
    return day, slots, matchmaking_run(day=day, by=organiser).proposal


def _assert_each_pair_booked_once(proposal):
    proposal.refresh_from_db()
    learners = list(Booking.objects.filter(status="active").values_list("learner_id", flat=True))
    told = list(Notification.objects.filter(kind=BOOKING_CONFIRMED).values_list("recipient_id", flat=True))
    assert (proposal.status, proposal.pairs_booked, proposal.pairs_not_booked) == ("confirmed", PAIRS, 0)
    assert len(learners) == len(set(learners)) == PAIRS
    assert sorted(told) == sorted(learners)
    assert MatchRequest.objects.filter(status=MatchRequest.Status.MATCHED).count() == PAIRS


@pytest.mark.parametrize("attempt", range(3))
def test_confirm_and_hand_booking_book_every_slot_once(organisation, organiser, attempt, monkeypatch):
    day, slots, proposal = _proposal(organisation, organiser, pairs=PAIRS, spare_sessions=HAND_BOOKERS)
    walk_ups = User.objects.bulk_create(
        User(email=f"walkup{attempt}-{i}@example.org", display_name=f"Walk-up {i}", password="!")
        for i in range(HAND_BOOKERS)
    )
    hand = dict(enumerate(zip(reversed(slots), walk_ups, strict=True), start=1))
    monkeypatch.setattr(confirming, "queue_confirm", lambda **kwargs: None)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)

    def attempt_one(index: int):
        if index == 0:  # the booking job, working through the slots from the first
            return proposal_confirm_pairs(proposal_id=proposal.pk)
        # Walk-ups arrive one after another from the last slot, so they meet the job half way.
        time.sleep(0.06 * index)
        slot, person = hand[index]
        return booking_create(slot_id=slot.pk, learner=person)

    outcomes = race(
        attempt_one, attempts=1 + HAND_BOOKERS, threads=1 + HAND_BOOKERS, success="ok", domain_error=errors.SurgeryError
    )

    assert set(outcomes) <= {"ok", errors.SlotTaken.default_message}
    proposal.refresh_from_db()
    pairs = list(ProposedPair.objects.filter(proposal=proposal).select_related("request"))
    active = Booking.objects.filter(day=day, status=Booking.Status.ACTIVE)
    assert active.count() == len(set(active.values_list("slot_id", flat=True)))
    assert proposal.status == MatchProposal.Status.CONFIRMED
    assert proposal.pairs_booked + proposal.pairs_not_booked == PAIRS
    for pair in pairs:
        holder = active.filter(slot_id=pair.slot_id).values_list("learner_id", flat=True).first()
        booked = holder == pair.request.learner_id
        assert (pair.outcome, pair.problem) == (
            ("booked", "") if booked else ("not_booked", "Someone else booked this slot first.")
        )
    # Each slot was wanted by one pair and one walk-up: exactly one of them has it.
    assert outcomes["ok"] - 1 + proposal.pairs_booked == active.count() == PAIRS
    print(f"{proposal.pairs_booked} pairs booked, {proposal.pairs_not_booked} slots taken by hand first")


def test_confirm_pressed_many_times_at_once_queues_one_job(organisation, organiser, queued, wide_confirm_window):
    day, _, proposal = _proposal(organisation, organiser, pairs=PAIRS)

    outcomes = race(
        lambda i: proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser),
        attempts=PRESSES,
        threads=PRESSES,
        success=STARTED,
        domain_error=MatchmakingError,
    )

    assert outcomes[STARTED] == 1
    assert set(outcomes) - {STARTED} <= ALREADY
    assert queued == [proposal.pk]
    _assert_each_pair_booked_once(proposal)


def test_race_without_locks_queues_several_jobs_yet_books_each_pair_once(
    organisation, organiser, queued, wide_confirm_window, monkeypatch
):
    day, _, proposal = _proposal(organisation, organiser, pairs=PAIRS)
    monkeypatch.setattr(locking, "LOCKS_ENABLED", False)

    outcomes = race(
        lambda i: proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser),
        attempts=PRESSES,
        threads=PRESSES,
        success=STARTED,
        domain_error=MatchmakingError,
    )

    assert outcomes[STARTED] > 1
    assert set(outcomes) - {STARTED} <= ALREADY
    assert len(queued) == outcomes[STARTED]
    _assert_each_pair_booked_once(proposal)


def test_two_jobs_for_one_proposal_at_once_book_each_pair_once(organisation, organiser, monkeypatch):
    day, _, proposal = _proposal(organisation, organiser, pairs=PAIRS)
    monkeypatch.setattr(confirming, "queue_confirm", lambda **kwargs: None)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)

    outcomes = race(
        lambda i: proposal_confirm_pairs(proposal_id=proposal.pk),
        attempts=8,
        threads=8,
        success="ran",
        domain_error=errors.SurgeryError,
    )

    assert outcomes == Counter({"ran": 8})
    _assert_each_pair_booked_once(proposal)
