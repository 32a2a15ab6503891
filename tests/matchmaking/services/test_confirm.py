"""Confirming a proposal: the organiser's request, the background job that books the pairs,
running it again after a crash, and picking up a confirmation whose job was lost."""

from collections import Counter
from datetime import timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.db import IntegrityError, OperationalError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from config.celery import app as celery_app
from matchmaking.models import MatchProposal, MatchRequest, ProposedPair
from matchmaking.selectors import last_unmatched_reason
from matchmaking.services import MatchmakingError, match_request_withdraw, matchmaking_run
from matchmaking.services import confirm as confirming
from matchmaking.services.confirm import (
    NOT_BOOKED_TEXT,
    AlreadyConfirming,
    proposal_confirm_pairs,
    proposal_confirm_start,
    proposal_confirmations_book_waiting,
    proposal_confirmations_resume,
)
from matchmaking.tasks import matchmaking_confirm
from outbox.models import Notification
from surgeries import errors
from surgeries.models import Booking, Commitment, DaySurgeon, SurgeryDay
from surgeries.notifications import BOOKING_CONFIRMED, BOOKING_RECEIVED
from tests.factories import SurgeryDayFactory, UserFactory, add_request, add_surgeon, booked_slot, confirm_now, make_day

pytestmark = pytest.mark.django_db

Outcome = ProposedPair.Outcome


def _proposal(organisation, organiser, *, pairs: int):
    """A day with one surgeon offering `pairs` slots and as many learners, run."""
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=pairs, max_sessions=pairs)
    for _ in range(pairs):
        add_request(day, topics={topics["Blogging"]: 1})
    return day, matchmaking_run(day=day, by=organiser).proposal


def _outcomes(proposal) -> Counter:
    return Counter(proposal.pairs.values_list("outcome", flat=True))


def test_confirm_books_exactly_the_proposed_pairs(organisation, organiser):
    day, topics = make_day(organisation)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=2)
    add_surgeon(day, offers={topics["Blogging"]: 2}, slots=1)
    requests = [add_request(day, topics={topics["Blogging"]: 1}) for _ in range(3)]
    proposal = matchmaking_run(day=day, by=organiser).proposal
    proposed = {(p.request.learner_id, p.slot_id) for p in proposal.pairs.select_related("request")}

    confirmed = confirm_now(day, proposal, organiser)

    active = Booking.objects.filter(day=day, status="active")
    assert {(b.learner_id, b.slot_id) for b in active} == proposed
    assert {topic.name for b in active for topic in b.topics.all()} == {"Blogging"}
    assert all(b.topics.count() == 1 for b in active)
    assert Commitment.objects.filter(day=day, is_active=True).count() == 6
    assert set(MatchRequest.objects.values_list("status", flat=True)) == {"matched"}
    assert all(r.booking_id for r in MatchRequest.objects.filter(pk__in=[r.pk for r in requests]))
    assert (confirmed.status, confirmed.pairs_to_book, confirmed.pairs_booked, confirmed.pairs_not_booked) == (
        MatchProposal.Status.CONFIRMED,
        3,
        3,
        0,
    )
    assert confirmed.confirmed_by == organiser
    assert _outcomes(proposal) == Counter({Outcome.BOOKED: 3})


def test_confirm_start_marks_the_proposal_and_books_nothing_until_the_job_runs(organisation, organiser):
    day, proposal = _proposal(organisation, organiser, pairs=2)

    started = proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)

    assert (started.status, started.pairs_to_book, started.confirmed_by) == ("confirming", 2, organiser)
    assert started.confirm_queued_at is not None
    assert not Booking.objects.exists()
    assert _outcomes(proposal) == Counter({Outcome.PENDING: 2})


def test_confirm_start_queues_the_job_only_once_the_transaction_commits(
    organisation, organiser, django_capture_on_commit_callbacks, monkeypatch
):
    day, proposal = _proposal(organisation, organiser, pairs=2)
    queued = []
    celery_app.conf.task_always_eager = False  # a broker takes the job (conftest puts it back)
    monkeypatch.setattr(
        confirming, "signature", lambda name, kwargs: SimpleNamespace(delay=lambda: queued.append(kwargs))
    )

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
        assert queued == []

    # Queued once; the other callbacks give the day's proposals a new version after commit.
    assert queued == [{"proposal_id": proposal.pk}]
    assert len(callbacks) >= 1
    assert MatchProposal.objects.get(pk=proposal.pk).confirm_queued_at is not None


def test_without_a_broker_the_request_books_nothing_and_the_scheduler_books_it(
    organisation, organiser, django_capture_on_commit_callbacks
):
    day, proposal = _proposal(organisation, organiser, pairs=2)

    with django_capture_on_commit_callbacks(execute=True):
        proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    waiting = MatchProposal.objects.get(pk=proposal.pk)
    booked_in_request = Booking.objects.count()
    booked = proposal_confirmations_book_waiting()

    proposal.refresh_from_db()
    assert (waiting.status, waiting.confirm_queued_at, booked_in_request) == ("confirming", None, 0)
    assert (booked, proposal.status, proposal.pairs_booked) == (1, MatchProposal.Status.CONFIRMED, 2)
    assert Booking.objects.filter(day=day, status="active").count() == 2
    assert proposal_confirmations_book_waiting() == 0


def test_confirmations_in_several_batches_book_every_pair_once(organisation, organiser, monkeypatch):
    monkeypatch.setattr(confirming, "BATCH_SIZE", 2)
    day, proposal = _proposal(organisation, organiser, pairs=5)

    confirmed = confirm_now(day, proposal, organiser)

    assert (confirmed.pairs_booked, confirmed.pairs_not_booked) == (5, 0)
    learners = list(Booking.objects.filter(status="active").values_list("learner_id", flat=True))
    told = Notification.objects.filter(kind=BOOKING_CONFIRMED).values_list("recipient_id", flat=True)
    assert sorted(told) == sorted(learners) and len(set(learners)) == 5


def test_confirm_books_the_other_pairs_and_says_why_one_could_not_be_booked(organisation, organiser):
    day, proposal = _proposal(organisation, organiser, pairs=3)
    taken = ProposedPair.objects.filter(proposal=proposal).order_by("slot__starts_at").last()
    # Someone books one of the proposed slots by hand before the organiser confirms.
    booked_slot(slot=taken.slot, learner=UserFactory())

    confirmed = confirm_now(day, proposal, organiser)

    taken.refresh_from_db()
    assert (confirmed.pairs_booked, confirmed.pairs_not_booked) == (2, 1)
    assert (taken.outcome, taken.problem) == (Outcome.NOT_BOOKED, "Someone else booked this slot first.")
    assert Booking.objects.filter(day=day, status="active").count() == 3
    left_out = MatchRequest.objects.get(pk=taken.request_id)
    assert left_out.status == MatchRequest.Status.OPEN
    assert last_unmatched_reason(day=day, request=left_out) == NOT_BOOKED_TEXT


def test_a_pair_whose_slot_has_started_is_not_booked(organisation, organiser):
    day, proposal = _proposal(organisation, organiser, pairs=2)
    first = proposal.pairs.order_by("slot__starts_at").first()

    with time_machine.travel(first.slot.starts_at + timedelta(minutes=1), tick=False):
        confirm_now(day, proposal, organiser)

    assert dict(proposal.pairs.values_list("slot__starts_at", "problem")) == {
        first.slot.starts_at: "The slot has already started.",
        first.slot.starts_at + timedelta(minutes=30): "",
    }


def test_confirm_queues_a_confirmation_for_each_learner_booked_and_a_notice_for_each_surgeon(organisation, organiser):
    day, proposal = _proposal(organisation, organiser, pairs=3)
    taken = proposal.pairs.select_related("request").first()
    booked_slot(slot=taken.slot, learner=UserFactory())
    before = set(Notification.objects.values_list("pk", flat=True))

    confirm_now(day, proposal, organiser)

    booked = proposal.pairs.filter(outcome=Outcome.BOOKED).values_list("request__learner_id", flat=True)
    confirmed = Notification.objects.exclude(pk__in=before).filter(kind=BOOKING_CONFIRMED)
    assert sorted(confirmed.values_list("recipient_id", flat=True)) == sorted(booked)
    assert Notification.objects.exclude(pk__in=before).filter(kind=BOOKING_RECEIVED).count() == 2
    assert taken.request.learner_id not in confirmed.values_list("recipient_id", flat=True)


def test_confirming_twice_is_refused_and_names_the_proposal_to_show(organisation, organiser):
    day, proposal = _proposal(organisation, organiser, pairs=1)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)

    with pytest.raises(AlreadyConfirming) as confirming_now:
        proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    proposal_confirm_pairs(proposal_id=proposal.pk)
    with pytest.raises(AlreadyConfirming) as confirmed:
        proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)

    assert (confirming_now.value.message, confirming_now.value.proposal_id) == (
        "This proposal is already being confirmed.",
        proposal.pk,
    )
    assert confirmed.value.message == "This proposal has already been confirmed."
    assert Booking.objects.count() == 1


def test_confirm_start_refuses_other_members_and_proposals_that_are_gone_or_empty(
    organisation, organiser, surgeon, other_organiser
):
    day, proposal = _proposal(organisation, organiser, pairs=1)
    empty_day = SurgeryDayFactory(organisation=organisation)
    empty = matchmaking_run(day=empty_day, by=organiser).proposal

    for person in (surgeon, other_organiser):
        with pytest.raises(errors.NotAllowed):
            proposal_confirm_start(day=day, proposal_id=proposal.pk, by=person)
    with pytest.raises(MatchmakingError, match="replaced"):
        proposal_confirm_start(day=day, proposal_id=empty.pk, by=organiser)
    with pytest.raises(MatchmakingError, match="no pairs"):
        proposal_confirm_start(day=empty_day, proposal_id=empty.pk, by=organiser)
    assert MatchProposal.objects.get(pk=proposal.pk).status == MatchProposal.Status.DRAFT


def test_running_the_job_again_after_it_finished_changes_nothing(organisation, organiser):
    day, proposal = _proposal(organisation, organiser, pairs=3)
    confirm_now(day, proposal, organiser)
    bookings, messages = Booking.objects.count(), Notification.objects.count()

    again = proposal_confirm_pairs(proposal_id=proposal.pk)

    assert again is None
    assert (Booking.objects.count(), Notification.objects.count()) == (bookings, messages)


def test_job_that_dies_half_way_carries_on_where_it_stopped_when_run_again(organisation, organiser, monkeypatch):
    # Batches of two: the first batch commits, the worker dies in the second.
    monkeypatch.setattr(confirming, "BATCH_SIZE", 2)
    day, proposal = _proposal(organisation, organiser, pairs=5)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    real_book, calls = confirming.book_locked_slots, []

    def dies_in_the_second_batch(**kwargs):
        calls.append([want.slot.pk for want in kwargs["wanted"]])
        if len(calls) == 2:
            raise SystemExit("the worker was killed")
        return real_book(**kwargs)

    monkeypatch.setattr(confirming, "book_locked_slots", dies_in_the_second_batch)
    with pytest.raises(SystemExit):
        proposal_confirm_pairs(proposal_id=proposal.pk)
    half_way = (_outcomes(proposal), Booking.objects.count(), MatchProposal.objects.get(pk=proposal.pk).status)
    monkeypatch.setattr(confirming, "book_locked_slots", real_book)

    finished = proposal_confirm_pairs(proposal_id=proposal.pk)

    assert half_way == (Counter({Outcome.BOOKED: 2, Outcome.PENDING: 3}), 2, MatchProposal.Status.CONFIRMING)
    assert (finished.status, finished.pairs_booked, finished.pairs_not_booked) == ("confirmed", 5, 0)
    learners = Booking.objects.filter(status="active").values_list("learner_id", flat=True)
    assert sorted(learners) == sorted(set(learners)) and len(learners) == 5
    confirmations = Notification.objects.filter(kind=BOOKING_CONFIRMED).values_list("recipient_id", flat=True)
    assert sorted(confirmations) == sorted(learners)


def _database_error(message: str, pgcode: str | None = None) -> OperationalError:
    error = OperationalError(message)
    error.__cause__ = type("DriverError", (Exception,), {"pgcode": pgcode})()
    return error


def _fails_once(monkeypatch, error: OperationalError) -> list[str]:
    """The slot lock fails once with `error`, then works."""
    real_lock, failures = confirming.lock_slots, []

    def fails_once(slot_ids):
        if not failures:
            failures.append(str(error))
            raise error
        return real_lock(slot_ids)

    monkeypatch.setattr(confirming, "lock_slots", fails_once)
    return failures


def test_a_pair_stopped_by_a_deadlock_is_tried_again_and_booked_once(organisation, organiser, monkeypatch):
    day, proposal = _proposal(organisation, organiser, pairs=3)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    failures = _fails_once(monkeypatch, _database_error("deadlock detected", pgcode="40P01"))

    finished = proposal_confirm_pairs(proposal_id=proposal.pk)

    assert (failures, finished.pairs_booked) == (["deadlock detected"], 3)
    assert Booking.objects.filter(status="active").count() == 3


def test_task_tries_again_after_losing_the_database_and_books_every_pair_once(organisation, organiser, monkeypatch):
    day, proposal = _proposal(organisation, organiser, pairs=3)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    failures = _fails_once(monkeypatch, _database_error("server closed the connection unexpectedly"))

    # throw=False: handled as a worker would, so the retry runs instead of raising here.
    result = matchmaking_confirm.apply(kwargs={"proposal_id": proposal.pk}, throw=False)

    assert (result.get(), len(failures)) == ("confirmed", 1)
    assert Booking.objects.filter(status="active").count() == 3


def test_task_for_a_draft_or_a_missing_proposal_does_nothing(organisation, organiser):
    _, proposal = _proposal(organisation, organiser, pairs=1)

    assert matchmaking_confirm.apply(kwargs={"proposal_id": proposal.pk}).get() == "nothing to do"
    assert matchmaking_confirm.apply(kwargs={"proposal_id": proposal.pk + 1000}).get() == "nothing to do"
    assert not Booking.objects.exists()


def test_matchmaking_cannot_run_again_while_pairs_are_being_booked(organisation, organiser):
    day, proposal = _proposal(organisation, organiser, pairs=1)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)

    with pytest.raises(MatchmakingError, match="still being booked"):
        matchmaking_run(day=day, by=organiser)

    proposal_confirm_pairs(proposal_id=proposal.pk)
    assert matchmaking_run(day=day, by=organiser).proposal.status == MatchProposal.Status.DRAFT


def test_learner_cannot_withdraw_while_their_pair_is_being_booked(organisation, organiser):
    day, proposal = _proposal(organisation, organiser, pairs=1)
    learner = proposal.pairs.get().request.learner
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)

    with pytest.raises(MatchmakingError, match="booking your match right now"):
        match_request_withdraw(day=day, learner=learner)

    assert proposal_confirm_pairs(proposal_id=proposal.pk).pairs_booked == 1


def test_resume_queues_again_only_a_confirmation_that_has_stalled(
    organisation, organiser, settings, django_capture_on_commit_callbacks
):
    settings.MATCHMAKING_CONFIRM_STALLED_SECONDS = 120
    day, proposal = _proposal(organisation, organiser, pairs=2)
    # The job was never queued, as if the broker had been away.
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    started = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        too_soon = proposal_confirmations_resume(now=started + timedelta(seconds=60))
        resumed = proposal_confirmations_resume(now=started + timedelta(seconds=121))
    proposal_confirmations_book_waiting()  # tasks run in-process: the scheduler books it

    proposal.refresh_from_db()
    assert (too_soon, resumed) == (0, 1)
    assert (proposal.status, proposal.pairs_booked) == (MatchProposal.Status.CONFIRMED, 2)
    assert proposal_confirmations_resume(now=started + timedelta(hours=1)) == 0


def test_resume_waits_while_pairs_are_still_being_booked(organisation, organiser, settings):
    settings.MATCHMAKING_CONFIRM_STALLED_SECONDS = 120
    day, proposal = _proposal(organisation, organiser, pairs=2)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)
    pair = proposal.pairs.first()
    later = timezone.now() + timedelta(seconds=200)
    ProposedPair.objects.filter(pk=pair.pk).update(outcome=Outcome.BOOKED, settled_at=later)

    assert proposal_confirmations_resume(now=later + timedelta(seconds=60)) == 0
    assert proposal_confirmations_resume(now=later + timedelta(seconds=121)) == 1


def test_a_write_the_database_refuses_undoes_only_that_pair(organisation, organiser, monkeypatch):
    day, proposal = _proposal(organisation, organiser, pairs=3)
    refused = proposal.pairs.order_by("slot__starts_at").last()
    real_batch, real_book, attempts = confirming.book_locked_slots, confirming.book_locked_slot, []

    def batch_refused_by_the_database(**kwargs):
        bookings = real_batch(**kwargs)  # written, then the database says no, as a racing insert would
        if refused.slot_id in [want.slot.pk for want in kwargs["wanted"]]:
            attempts.append(refused.slot_id)
            raise IntegrityError("duplicate key value violates unique constraint")
        return bookings

    def refused_by_the_database(**kwargs):
        booking = real_book(**kwargs)
        if kwargs["slot"].pk == refused.slot_id:
            attempts.append(kwargs["slot"].pk)
            raise IntegrityError("duplicate key value violates unique constraint")
        return booking

    monkeypatch.setattr(confirming, "book_locked_slots", batch_refused_by_the_database)
    monkeypatch.setattr(confirming, "book_locked_slot", refused_by_the_database)
    confirmed = confirm_now(day, proposal, organiser)

    refused.refresh_from_db()
    assert (confirmed.pairs_booked, confirmed.pairs_not_booked, len(attempts)) == (2, 1, 2)
    assert (refused.outcome, refused.problem) == (Outcome.NOT_BOOKED, "Someone else booked this slot first.")
    assert not Booking.objects.filter(slot_id=refused.slot_id).exists()
    told = Notification.objects.filter(kind=BOOKING_CONFIRMED).values_list("recipient_id", flat=True)
    assert sorted(told) == sorted(Booking.objects.values_list("learner_id", flat=True))


def test_a_batch_counts_its_own_bookings_against_the_surgeons_sessions_as_hand_booking_does(organisation, organiser):
    day, proposal = _proposal(organisation, organiser, pairs=3)
    # The surgeon lowers their sessions after the run: the batch's third pair is one too many.
    DaySurgeon.objects.filter(day=day).update(max_sessions=2)

    confirmed = confirm_now(day, proposal, organiser)

    problems = list(proposal.pairs.order_by("slot__starts_at").values_list("problem", flat=True))
    assert (confirmed.pairs_booked, confirmed.pairs_not_booked) == (2, 1)
    assert problems == ["", "", "The surgeon has no sessions left."]
    assert Booking.objects.filter(day=day, status="active").count() == 2


@pytest.mark.parametrize("pairs", [2, 12])
def test_booking_a_batch_takes_the_same_queries_however_many_pairs_it_holds(organisation, organiser, pairs):
    day, proposal = _proposal(organisation, organiser, pairs=pairs)
    proposal_confirm_start(day=day, proposal_id=proposal.pk, by=organiser)

    with CaptureQueriesContext(connection) as queries:
        confirmed = proposal_confirm_pairs(proposal_id=proposal.pk)

    # One batch: its locks, the rules' facts read once, one insert each for the bookings,
    # their topics and commitments, the messages written together, the outcomes; then finishing.
    # None of it per pair (the same surgeon throughout: their messages are per surgeon).
    assert confirmed.pairs_booked == pairs
    assert len(queries) == 34


def test_with_a_session_limit_the_proposal_holds_no_pair_that_confirming_would_refuse(organisation, organiser):
    # One request per learner and day, so a learner is proposed at most one session; one who
    # already holds a session that day is left out of the run, so the day's limit (at least 1)
    # never refuses a pair the solver chose.
    day, topics = make_day(organisation)
    SurgeryDay.objects.filter(pk=day.pk).update(max_sessions_per_learner=1)
    day.refresh_from_db()
    _, slots = add_surgeon(day, offers={topics["Blogging"]: 2}, slots=4)
    at_limit = add_request(day, topics={topics["Blogging"]: 1})
    others = [add_request(day, topics={topics["Blogging"]: 1}) for _ in range(2)]
    booked_slot(slot=slots[0], learner=at_limit.learner)

    proposal = matchmaking_run(day=day, by=organiser).proposal
    confirmed = confirm_now(day, proposal, organiser)

    assert set(proposal.pairs.values_list("request_id", flat=True)) == {r.pk for r in others}
    assert (confirmed.pairs_booked, confirmed.pairs_not_booked) == (2, 0)
    assert Booking.objects.filter(learner=at_limit.learner, status="active").count() == 1
