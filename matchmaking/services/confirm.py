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
has made no progress for a while, in case its message was lost. Without a broker, the
embedded scheduler books confirmations instead (`proposal_confirmations_book_waiting`),
never the organiser's request. See docs/matchmaking.md.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime, timedelta
from functools import partial

from celery import current_app, signature
from django.conf import settings
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Count, Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from matchmaking.errors import MatchmakingError
from matchmaking.models import MatchProposal, MatchRequest, ProposedPair
from matchmaking.services.proposals import locked_day
from outbox.services import notifications_in_bulk
from people.models import User
from surgeries import errors
from surgeries.models import Booking, DaySurgeon, Slot, SurgeryDay
from surgeries.notifications import booking_notifications_schedule
from surgeries.services.booking_core import (
    SlotToBook,
    book_locked_slot,
    book_locked_slots,
    is_deadlock,
    translate_integrity_error,
)
from surgeries.services.locking import lock_people, lock_slots, maybe_lock

logger = logging.getLogger(__name__)

Status = MatchProposal.Status
Outcome = ProposedPair.Outcome

# The booking job's name (matchmaking/tasks.py). Queued by name, so this module does not
# import the task module that imports it; queued messages carry this name, keep it.
CONFIRM_TASK = "surgeries.matchmaking_confirm"

# Pairs booked in one transaction: few enough that a batch holds its locks briefly (a
# hand booking of one of its slots waits well under a second), many enough that
# committing and writing messages are shared.
BATCH_SIZE = 50

# Times one batch is tried when PostgreSQL stops its transaction to break a deadlock.
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
    errors.SessionLimitReached: "The learner already has as many sessions as this day allows.",
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
    """Queue the booking job. Without a broker to take it, the periodic resume queues it later.

    When tasks run in-process (`make run`, no Redis), a job queued here would run inside
    the organiser's request, for as long as booking takes. Instead the proposal is left
    waiting (no queueing time), and the embedded scheduler books it in the background
    (`proposal_confirmations_book_waiting`).
    """
    if current_app.conf.task_always_eager:
        MatchProposal.objects.filter(pk=proposal_id, status=Status.CONFIRMING).update(confirm_queued_at=None)
        return
    try:
        signature(CONFIRM_TASK, kwargs={"proposal_id": proposal_id}).delay()
    except BrokerUnavailable:
        logger.warning("Could not queue the booking of matchmaking proposal %s; it is resumed later.", proposal_id)


# --- Booking, in the background ---------------------------------------------------------------


def proposal_confirm_pairs(*, proposal_id: int) -> MatchProposal | None:
    """Book every pending pair of a proposal being confirmed, batch by batch, then finish it.

    Returns the proposal, or None if it is gone or not being confirmed (nothing to do).
    A batch whose transaction PostgreSQL stopped to break a deadlock is simply tried
    again; any other database error (a lost connection) leaves its pairs pending and
    is raised, so the job is tried again later.
    """
    proposal = MatchProposal.objects.select_related("confirmed_by").filter(pk=proposal_id).first()
    if proposal is None or proposal.status != Status.CONFIRMING:
        return None
    # Surgeon by surgeon, so each surgeon's reminders and day sheet are worked out in one batch.
    pending = proposal.pairs.filter(outcome=Outcome.PENDING).order_by("slot__day_surgeon_id", "slot__starts_at", "id")
    pair_ids = list(pending.values_list("pk", flat=True))
    for start in range(0, len(pair_ids), BATCH_SIZE):
        _settle_batch_retrying(pair_ids=pair_ids[start : start + BATCH_SIZE], by=proposal.confirmed_by)
    return _finish(proposal_id=proposal.pk)


def _settle_batch_retrying(*, pair_ids: list[int], by: User | None) -> None:
    """Settle a batch; again if PostgreSQL stopped it to break a deadlock; pair by pair
    in savepoints if the database refused one of its writes (a race the checks missed)."""
    careful = False
    for attempt in range(1, DEADLOCK_ATTEMPTS + 2):
        try:
            _settle_batch(pair_ids=pair_ids, by=by, careful=careful)
            return
        except IntegrityError:
            if careful:
                raise
            careful = True
        except OperationalError as error:
            if not is_deadlock(error) or attempt >= DEADLOCK_ATTEMPTS:
                raise


@transaction.atomic
def _settle_batch(*, pair_ids: list[int], by: User | None, careful: bool) -> None:
    """Book a batch of pairs in one transaction, or record for each why it cannot be booked.

    1. Lock the pairs still pending, then their requests, then the slots, then every
       person of the batch (learners and surgeons, by id): deleting a request deletes its
       pairs first, and hand booking locks slot then people, so no two of these ever wait
       on each other in a circle. A pair settled meanwhile (another run) is skipped.
    2. Book the pairs with `book_locked_slots`: the rules of `book_locked_slot`, pair by
       pair in order, asked of facts read once for the batch, and the bookings written
       together. Its checks refuse before anything is written; only a write the database
       refuses spoils the transaction, and then the batch is run again `careful`ly, each
       pair booked with `book_locked_slot` in its own savepoint. The messages of the whole
       batch are written together.
    3. Record every outcome, and mark each booked request `matched`, with two bulk updates.
    """
    order = {pair_id: index for index, pair_id in enumerate(pair_ids)}
    pairs = ProposedPair.objects.select_for_update(of=("self",)).filter(pk__in=pair_ids, outcome=Outcome.PENDING)
    pairs = sorted(pairs.order_by("pk"), key=lambda pair: order[pair.pk])
    if not pairs:
        return
    requests = MatchRequest.objects.select_for_update(of=("self",)).select_related("learner")
    requests = requests.prefetch_related("topics").filter(pk__in=[p.request_id for p in pairs]).order_by("pk")
    requests = {request.pk: request for request in requests}
    slots = lock_slots([pair.slot_id for pair in pairs])
    lock_people([r.learner_id for r in requests.values()] + [slot.surgeon_id for slot in slots.values()])
    _attach_day_and_surgeons(slots.values())
    now = timezone.now()
    matched = []
    with notifications_in_bulk():
        book = _book_carefully if careful else _book_together
        outcomes = book(pairs=pairs, requests=requests, slots=slots, by=by)
        for pair, outcome in zip(pairs, outcomes, strict=True):
            request = requests[pair.request_id]
            pair.problem = _settled(pair=pair, request=request, outcome=outcome)
            pair.outcome, pair.settled_at = (Outcome.NOT_BOOKED if pair.problem else Outcome.BOOKED), now
            if not pair.problem:
                request.updated_at = now
                matched.append(request)
    _record_outcomes(pairs=pairs, matched=matched, now=now)


def _record_outcomes(*, pairs: list[ProposedPair], matched: list[MatchRequest], now: datetime) -> None:
    """Write the outcomes: one update per distinct outcome and problem (a few), and one
    for the requests matched, which take their booking and reasons from their pair.
    (`bulk_update` builds a CASE per row and field, which took longer than the booking.)"""
    by_outcome: dict[tuple[str, str], list[int]] = {}
    for pair in pairs:
        by_outcome.setdefault((pair.outcome, pair.problem), []).append(pair.pk)
    for (outcome, problem), pair_ids in by_outcome.items():
        ProposedPair.objects.filter(pk__in=pair_ids).update(outcome=outcome, problem=problem, settled_at=now)
    if not matched:
        return
    # Each matched request's pair in this proposal, now booked, and the booking made of it.
    pair = ProposedPair.objects.filter(
        proposal_id=pairs[0].proposal_id, request_id=OuterRef("pk"), outcome=Outcome.BOOKED
    )
    booking = Booking.objects.filter(
        status=Booking.Status.ACTIVE,
        learner_id=OuterRef("learner_id"),
        slot_id=Subquery(
            ProposedPair.objects.filter(
                proposal_id=pairs[0].proposal_id, request_id=OuterRef(OuterRef("pk")), outcome=Outcome.BOOKED
            ).values("slot_id")[:1]
        ),
    )
    MatchRequest.objects.filter(pk__in=[request.pk for request in matched]).update(
        status=MatchRequest.Status.MATCHED,
        booking=Subquery(booking.values("pk")[:1]),
        reasons=Subquery(pair.values("reasons")[:1]),
        updated_at=now,
    )


def _attach_day_and_surgeons(slots: Iterable[Slot]) -> None:
    """Give the locked slots their day and surgeon rows, read once for the batch, not per pair."""
    slots = list(slots)
    if not slots:
        return
    days = SurgeryDay.objects.select_related("organisation", "venue").filter(pk__in={s.day_id for s in slots})
    days = {day.pk: day for day in days}
    surgeons = DaySurgeon.objects.select_related("person").filter(pk__in={s.day_surgeon_id for s in slots})
    surgeons = {day_surgeon.pk: day_surgeon for day_surgeon in surgeons}
    for slot in slots:
        slot.day = days[slot.day_id]
        slot.day_surgeon = surgeons[slot.day_surgeon_id]
        slot.day_surgeon.day = slot.day
        slot.surgeon = slot.day_surgeon.person


PairResult = Booking | errors.SurgeryError


def _book_together(
    *, pairs: list[ProposedPair], requests: dict[int, MatchRequest], slots: dict[int, Slot], by: User | None
) -> list[PairResult]:
    """Each pair's booking or why not, the bookings made with `book_locked_slots`, day by day."""
    outcomes: dict[int, PairResult] = {}
    wanted: dict[int, list[tuple[ProposedPair, SlotToBook]]] = {}
    for pair in pairs:
        request, slot = requests[pair.request_id], slots.get(pair.slot_id)
        try:
            _check_pair(request=request, slot=slot)
        except errors.BookingError as error:
            outcomes[pair.pk] = error
            continue
        want = SlotToBook(
            slot=slot,
            learner=request.learner,
            topic_ids=[rt.topic_id for rt in request.topics.all()],
            note=request.note,
            booked_by=by,
        )
        wanted.setdefault(slot.day_id, []).append((pair, want))
    for day_pairs in wanted.values():
        day = day_pairs[0][1].slot.day
        # The rules of hand booking as an organiser: no booking window (at the desk).
        booked = book_locked_slots(day=day, wanted=[want for _, want in day_pairs], at_desk=True)
        outcomes.update((pair.pk, outcome) for (pair, _), outcome in zip(day_pairs, booked, strict=True))
    return [outcomes[pair.pk] for pair in pairs]


def _book_carefully(
    *, pairs: list[ProposedPair], requests: dict[int, MatchRequest], slots: dict[int, Slot], by: User | None
) -> list[PairResult]:
    """Each pair's booking or why not, each pair booked with `book_locked_slot` in its own
    savepoint, so a write the database refuses undoes only that pair."""
    outcomes: list[PairResult] = []
    for pair in pairs:
        request, slot = requests[pair.request_id], slots.get(pair.slot_id)
        try:
            _check_pair(request=request, slot=slot)
            with transaction.atomic():
                outcomes.append(
                    book_locked_slot(
                        slot=slot,
                        learner=request.learner,
                        topic_ids=[rt.topic_id for rt in request.topics.all()],
                        note=request.note,
                        booked_by=by,
                        at_desk=True,
                        day=slot.day,
                    )
                )
        except IntegrityError as error:
            outcomes.append(translate_integrity_error(error, learner_id=request.learner_id))
        except errors.BookingError as error:
            outcomes.append(error)
    return outcomes


def _check_pair(*, request: MatchRequest, slot: Slot | None) -> None:
    """What matchmaking asks before the rules of hand booking: the request is still open
    and the slot still exists and has not started."""
    if request.status != MatchRequest.Status.OPEN:
        raise PairNotBookable("The learner was already matched in an earlier round.")
    if slot is None:
        raise PairNotBookable("The slot no longer exists.")
    if slot.starts_at <= timezone.now():
        raise PairNotBookable("The slot has already started.")


def _settled(*, pair: ProposedPair, request: MatchRequest, outcome: PairResult) -> str:
    """Mark a booked pair's request matched and schedule its messages; return "" or why it was not booked."""
    if not isinstance(outcome, Booking):
        return _why_not(outcome)
    booking, slot = outcome, outcome.slot
    request.status, request.booking, request.reasons = MatchRequest.Status.MATCHED, booking, pair.reasons
    booking.learner, booking.surgeon, booking.slot, booking.day = request.learner, slot.surgeon, slot, slot.day
    # The confirmation, the surgeon's notice and the reminders, as for a booking made by hand.
    booking_notifications_schedule(booking=booking)
    return ""


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


def proposal_confirmations_book_waiting() -> int:
    """Without a broker: book here each confirmation left waiting for the scheduler.

    Run by the embedded scheduler's every pass (matchmaking/receivers.py). Each waiting
    proposal is claimed with a conditional update first, so two schedulers never book
    the same one at once; one that stops half way is resumed like a lost job. Returns
    how many were booked.
    """
    waiting = MatchProposal.objects.filter(status=Status.CONFIRMING, confirm_queued_at__isnull=True)
    booked = 0
    for proposal_id in list(waiting.order_by("pk").values_list("pk", flat=True)):
        if waiting.filter(pk=proposal_id).update(confirm_queued_at=timezone.now()):
            proposal_confirm_pairs(proposal_id=proposal_id)
            booked += 1
    return booked
