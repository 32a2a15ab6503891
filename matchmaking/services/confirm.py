"""Confirming a matchmaking proposal: the organiser asks, a background job books the pairs.

1. `proposal_confirm_start` (the confirm button) locks the day and the proposal, checks
   it is still the draft, marks it `confirming` with the number of pairs to book, and
   queues the job once that has committed. A second press finds it `confirming` and
   queues nothing.
2. `proposal_confirm_pairs` (the job) books each pair still pending in its own short
   transaction, with the rules hand booking keeps, and records "booked" or why not.
   A settled pair is skipped, so running the job twice, or again after a worker died
   half way, books nobody twice and carries on where it stopped.
3. Once no pair is pending, the proposal is `confirmed` with the counts.

`proposal_confirmations_resume` (periodic) queues the job again for a confirmation that
has made no progress for a while, in case its message was lost. See docs/matchmaking.md.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from functools import partial

from celery import signature
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Max
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from matchmaking.errors import MatchmakingError
from matchmaking.models import MatchProposal, MatchRequest, ProposedPair
from matchmaking.services.proposals import locked_day
from people.models import User
from surgeries import errors
from surgeries.models import Booking, Slot, SurgeryDay
from surgeries.notifications import booking_notifications_schedule
from surgeries.services.booking_core import book_locked_slot, is_deadlock, translate_integrity_error
from surgeries.services.locking import lock_slots, maybe_lock

logger = logging.getLogger(__name__)

Status = MatchProposal.Status
Outcome = ProposedPair.Outcome

# The booking job's name (matchmaking/tasks.py). Queued by name, so this module does not
# import the task module that imports it; queued messages carry this name, keep it.
CONFIRM_TASK = "surgeries.matchmaking_confirm"

# Times one pair is tried when PostgreSQL stops its transaction to break a deadlock.
DEADLOCK_ATTEMPTS = 3

# What a learner whose pair could not be booked reads on their own page. It names
# nobody and gives no cause: that might be someone else's booking, or a block.
NOT_BOOKED_TEXT = "the slot chosen for you could not be booked when the organisers confirmed the matches"

# Booking errors speak to the learner ("You already have…"); the organiser reads these.
WHY_NOT_BOOKED = {
    errors.SlotTaken: "Someone else booked this slot first.",
    errors.PersonBusy: "The learner has booked something else at this time.",
    errors.SurgeonBusy: "The surgeon is no longer free at this time.",
    errors.SurgeonFull: "The surgeon has no sessions left.",
    errors.BookingWithOneself: "The learner is the surgeon of this slot.",
    errors.PersonBlocked: "The organisation has blocked this learner.",
    errors.BookingClosed: "The slot is no longer offered, or the day is no longer open.",
}


def lock_proposal(*, proposal_id: int, day_id: int) -> MatchProposal | None:
    """Lock one of the day's matchmaking proposals, or None if it is not the day's.

    Taken after the day's lock and before any slot's, the order surgeries/services/locking.py keeps.
    """
    return maybe_lock(MatchProposal.objects.filter(pk=proposal_id, day_id=day_id)).first()


class AlreadyConfirming(MatchmakingError):
    """The proposal is being, or has been, confirmed: the view shows its progress instead."""

    def __init__(self, message: str, *, proposal_id: int):
        self.proposal_id = proposal_id
        super().__init__(message)


class PairNotBookable(errors.BookingError):
    """A pair that can no longer be booked, said for the organiser."""


# --- Asking ---------------------------------------------------------------------------------


@transaction.atomic
def proposal_confirm_start(*, day: SurgeryDay, proposal_id: int, by: User) -> MatchProposal:
    """Mark the day's draft as being confirmed and queue the job that books it."""
    day = locked_day(day=day, by=by)
    proposal = lock_proposal(proposal_id=proposal_id, day_id=day.pk)
    if proposal is None:
        raise MatchmakingError("This proposal has been replaced. Please look again.")
    if proposal.status == Status.CONFIRMING:
        raise AlreadyConfirming("This proposal is already being confirmed.", proposal_id=proposal.pk)
    if proposal.status == Status.CONFIRMED:
        raise AlreadyConfirming("This proposal has already been confirmed.", proposal_id=proposal.pk)
    to_book = proposal.pairs.count()
    if to_book == 0:
        raise MatchmakingError("This proposal has no pairs to book.")
    proposal.status, proposal.confirmed_by, proposal.pairs_to_book = Status.CONFIRMING, by, to_book
    proposal.confirm_queued_at = timezone.now()
    proposal.full_clean(validate_constraints=False)
    proposal.save(update_fields=["status", "confirmed_by", "pairs_to_book", "confirm_queued_at"])
    transaction.on_commit(partial(queue_confirm, proposal_id=proposal.pk))
    return proposal


def queue_confirm(*, proposal_id: int) -> None:
    """Queue the booking job. Without a broker to take it, the periodic resume queues it later."""
    try:
        signature(CONFIRM_TASK, kwargs={"proposal_id": proposal_id}).delay()
    except BrokerUnavailable:
        logger.warning("Could not queue the booking of matchmaking proposal %s; it is resumed later.", proposal_id)


# --- Booking, in the background ---------------------------------------------------------------


def proposal_confirm_pairs(*, proposal_id: int) -> MatchProposal | None:
    """Book every pending pair of a proposal being confirmed, then finish it.

    Returns the proposal, or None if it is gone or not being confirmed (nothing to do).
    A pair whose transaction PostgreSQL stopped to break a deadlock is simply tried
    again; any other database error (a lost connection) leaves the pair pending and
    is raised, so the job is tried again later.
    """
    proposal = MatchProposal.objects.select_related("confirmed_by").filter(pk=proposal_id).first()
    if proposal is None or proposal.status != Status.CONFIRMING:
        return None
    pending = proposal.pairs.filter(outcome=Outcome.PENDING).order_by("slot__starts_at", "id")
    for pair_id in list(pending.values_list("pk", flat=True)):
        for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
            try:
                _settle_pair(pair_id=pair_id, by=proposal.confirmed_by)
                break
            except OperationalError as error:
                if not is_deadlock(error) or attempt == DEADLOCK_ATTEMPTS:
                    raise
    return _finish(proposal_id=proposal.pk)


@transaction.atomic
def _settle_pair(*, pair_id: int, by: User | None) -> None:
    """Book one pair, or record why it cannot be booked.

    Locks the pair, then its request, then the slot, then both people (in
    `book_locked_slot`): deleting a request deletes its pairs first, and hand booking
    locks slot then people, so no two of these ever wait on each other in a circle.
    """
    pair = ProposedPair.objects.select_for_update(of=("self",)).filter(pk=pair_id, outcome=Outcome.PENDING).first()
    if pair is None:
        return  # another run settled it, or the learner's request has gone
    request = MatchRequest.objects.select_for_update(of=("self",)).select_related("learner").get(pk=pair.request_id)
    slot = lock_slots([pair.slot_id]).get(pair.slot_id)
    try:
        with transaction.atomic():
            booking = _book(request=request, slot=slot, by=by)
    except IntegrityError as error:
        problem = _why_not(translate_integrity_error(error, learner_id=request.learner_id))
    except errors.BookingError as error:
        problem = _why_not(error)
    else:
        problem = ""
        request.status, request.booking, request.reasons = MatchRequest.Status.MATCHED, booking, pair.reasons
        request.save(update_fields=["status", "booking", "reasons", "updated_at"])
        # The confirmation, the surgeon's notice and the reminders, as for a booking made by hand.
        booking_notifications_schedule(booking=booking)
    pair.outcome = Outcome.NOT_BOOKED if problem else Outcome.BOOKED
    pair.problem, pair.settled_at = problem, timezone.now()
    pair.save(update_fields=["outcome", "problem", "settled_at"])


def _book(*, request: MatchRequest, slot: Slot | None, by: User | None) -> Booking:
    """The rules of hand booking as an organiser: no booking window, but never a slot that has started."""
    if request.status != MatchRequest.Status.OPEN:
        raise PairNotBookable("The learner was already matched in an earlier round.")
    if slot is None:
        raise PairNotBookable("The slot no longer exists.")
    if slot.starts_at <= timezone.now():
        raise PairNotBookable("The slot has already started.")
    return book_locked_slot(
        slot=slot,
        learner=request.learner,
        topic_ids=[rt.topic_id for rt in request.topics.all()],
        note=request.note,
        booked_by=by,
        at_desk=True,
    )


def _why_not(error: errors.SurgeryError) -> str:
    return WHY_NOT_BOOKED.get(type(error), error.message)[:300]


@transaction.atomic
def _finish(*, proposal_id: int) -> MatchProposal | None:
    """Once no pair is pending: the counts, the learners not booked (with why), and `confirmed`."""
    proposal = MatchProposal.objects.select_for_update().filter(pk=proposal_id).first()
    if proposal is None or proposal.status != Status.CONFIRMING:
        return proposal
    outcomes = dict(proposal.pairs.order_by().values_list("outcome").annotate(n=Count("id")))
    if outcomes.get(Outcome.PENDING):
        return proposal  # another run is booking the last pairs and finishes after them
    not_booked = proposal.pairs.filter(outcome=Outcome.NOT_BOOKED).values_list("request_id", flat=True)
    proposal.unmatched = [
        *proposal.unmatched,
        *({"request": request_id, "code": "not_booked", "text": NOT_BOOKED_TEXT} for request_id in not_booked),
    ]
    proposal.pairs_booked = outcomes.get(Outcome.BOOKED, 0)
    proposal.pairs_not_booked = outcomes.get(Outcome.NOT_BOOKED, 0)
    proposal.status, proposal.confirmed_at = Status.CONFIRMED, timezone.now()
    proposal.save(update_fields=["unmatched", "pairs_booked", "pairs_not_booked", "status", "confirmed_at"])
    transaction.on_commit(partial(_log_confirmed, proposal))
    return proposal


def _log_confirmed(proposal: MatchProposal) -> None:
    logger.info(
        "Matchmaking proposal %s confirmed: %d booked, %d not booked",
        proposal.pk,
        proposal.pairs_booked,
        proposal.pairs_not_booked,
    )


# --- Resuming a confirmation whose job was lost --------------------------------------------


@transaction.atomic
def proposal_confirmations_resume(*, now: datetime | None = None) -> int:
    """Queue the job again for each confirmation with no progress for a while.

    Progress is the later of the last pair settled and the last time the job was
    queued, so one that is queued again is left alone for another full period.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(seconds=settings.MATCHMAKING_CONFIRM_STALLED_SECONDS)
    last_progress = Greatest(Coalesce(Max("pairs__settled_at"), "confirm_queued_at"), "confirm_queued_at")
    stalled = list(
        MatchProposal.objects.filter(status=Status.CONFIRMING)
        .annotate(last_progress=last_progress)
        .filter(last_progress__lt=cutoff)
        .values_list("pk", flat=True)
    )
    MatchProposal.objects.filter(pk__in=stalled).update(confirm_queued_at=now)
    for proposal_id in stalled:
        logger.warning("Matchmaking proposal %s made no progress; queueing its booking again.", proposal_id)
        transaction.on_commit(partial(queue_confirm, proposal_id=proposal_id))
    return len(stalled)
