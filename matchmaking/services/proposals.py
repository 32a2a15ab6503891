"""Matchmaking writes: running a proposal for a day and adjusting the draft.

Learners' requests are in `requests`; confirming (booking the pairs, in the background)
is in `confirm`. See docs/matchmaking.md.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from matchmaking.core.fit import explain_unmatched
from matchmaking.core.instance import AllowedPair, Assignment, violations
from matchmaking.core.solver import solve
from matchmaking.errors import MatchmakingError
from matchmaking.loading import DayProblem, build_day_problem, reasons_to_json
from matchmaking.models import MatchProposal, MatchRequest, ProposedPair
from matchmaking.proposal_version import bump_proposal_version
from people.models import User
from people.selectors import is_organiser
from surgeries import errors
from surgeries.models import SurgeryDay
from surgeries.services.locking import lock_day

REMOVED_TEXT = "the organiser took this pairing out of the proposal"


# --- Running and adjusting a proposal ---------------------------------------------------


def _require_organiser(*, day: SurgeryDay, by: User) -> None:
    if not is_organiser(user=by, organisation=day.organisation):
        raise errors.NotAllowed()


def locked_day(*, day: SurgeryDay, by: User) -> SurgeryDay:
    """Lock the day row so two organisers' runs, changes and confirms happen one after the other."""
    _require_organiser(day=day, by=by)
    day = lock_day(day.pk)
    if day.status != SurgeryDay.Status.PUBLISHED:
        raise MatchmakingError("Publish the day before matching learners to surgeons.")
    return day


def _draft(day: SurgeryDay) -> MatchProposal | None:
    return MatchProposal.objects.filter(day=day, status=MatchProposal.Status.DRAFT).first()


def _unmatched(problem: DayProblem, assignment: Assignment) -> list[dict]:
    rows = []
    for learner_id in assignment.unmatched(problem.instance):
        reason = explain_unmatched(
            problem.requests[learner_id],
            problem.profiles,
            problem.slots,
            suitable_slots=problem.suitable[learner_id],
        )
        rows.append({"request": problem.request_ids[learner_id], "code": str(reason.code), "text": reason.text})
    return rows


@dataclass(frozen=True)
class RunResult:
    proposal: MatchProposal
    dropped_locks: int


@transaction.atomic
def matchmaking_run(*, day: SurgeryDay, by: User) -> RunResult:
    """Compute a new draft proposal for a day, keeping the organiser's locked pairs.

    1. Lock the day; read the locks of the current draft, if any.
    2. Build the day's instance (open requests, free slots, sessions left, clashes
       removed) and solve it: the most learners, then the best total fit.
    3. Replace the draft with the new proposal, pairs and unmatched reasons.
    Locks that are no longer possible (a slot booked by hand meanwhile) are dropped
    and counted, so the view can say so.
    """
    day = locked_day(day=day, by=by)
    if MatchProposal.objects.filter(day=day, status=MatchProposal.Status.CONFIRMING).exists():
        raise MatchmakingError("The confirmed pairs are still being booked. Please run matchmaking once that is done.")
    old = _draft(day)
    locked = []
    if old:
        locked = [(p.request.learner_id, p.slot_id) for p in old.pairs.filter(locked=True).select_related("request")]
        old.delete()
    problem = build_day_problem(day=day, locked=locked)
    assignment = solve(problem.instance)
    proposal = MatchProposal.objects.create(
        day=day, created_by=by, request_count=len(problem.requests), unmatched=_unmatched(problem, assignment)
    )
    locks = set(problem.instance.locked)
    ProposedPair.objects.bulk_create(
        ProposedPair(
            proposal=proposal,
            request_id=problem.request_ids[pair.learner_id],
            slot_id=pair.slot_id,
            fit=pair.fit,
            reasons=reasons_to_json(pair.reasons),
            locked=(pair.learner_id, pair.slot_id) in locks,
        )
        for pair in assignment.pairs
    )
    bump_proposal_version(day.pk)  # the pairs went in with bulk_create, which sends no signal
    return RunResult(proposal=proposal, dropped_locks=len(problem.dropped_locks))


def _draft_pair(*, pair_id: int, day: SurgeryDay, by: User) -> ProposedPair:
    locked_day(day=day, by=by)
    pair = ProposedPair.objects.select_related("proposal", "request").filter(pk=pair_id, proposal__day=day).first()
    if pair is None or pair.proposal.status != MatchProposal.Status.DRAFT:
        raise MatchmakingError("That pairing is no longer in the proposal. Please look again.")
    return pair


@transaction.atomic
def proposal_pair_lock(*, day: SurgeryDay, pair_id: int, by: User, locked: bool = True) -> ProposedPair:
    """Keep (or stop keeping) a pair when matchmaking runs again."""
    pair = _draft_pair(pair_id=pair_id, day=day, by=by)
    pair.locked = locked
    pair.save(update_fields=["locked"])
    bump_proposal_version(day.pk)  # a pair's own save bumps nothing (matchmaking/proposal_version.py)
    return pair


@transaction.atomic
def proposal_pair_remove(*, day: SurgeryDay, pair_id: int, by: User) -> MatchRequest:
    """Take a pair out of the draft; the learner is listed as unmatched, with why."""
    pair = _draft_pair(pair_id=pair_id, day=day, by=by)
    proposal = pair.proposal
    proposal.unmatched = [*proposal.unmatched, {"request": pair.request_id, "code": "removed", "text": REMOVED_TEXT}]
    proposal.save(update_fields=["unmatched"])
    pair.delete()
    return pair.request


def _plain(problems: list[str]) -> str:
    """The rule an organiser's change breaks, in words (violations() speaks in ids)."""
    if any("not allowed" in problem for problem in problems):
        return "That slot does not suit this learner: a clash, no shared topic or language, or a need it does not meet."
    if any("sessions" in problem for problem in problems):
        return "That surgeon would have more sessions than they offered."
    return "That slot is already taken in this proposal."


@transaction.atomic
def proposal_slot_choose(*, day: SurgeryDay, request_id: int, slot_id: int, by: User) -> ProposedPair:
    """Give a learner another allowed slot; if another learner holds it, the two swap.

    The result is checked with the core's `violations()` against the day as it is
    now; the changed pairs are locked so a re-run keeps the organiser's choice.
    """
    day = locked_day(day=day, by=by)
    proposal = _draft(day)
    request = MatchRequest.objects.filter(pk=request_id, day=day, status=MatchRequest.Status.OPEN).first()
    if proposal is None or request is None:
        raise MatchmakingError("That learner is no longer waiting to be matched. Please look again.")
    pairs = {p.request_id: p for p in proposal.pairs.select_related("request")}
    mine, holder = pairs.get(request.pk), next((p for p in pairs.values() if p.slot_id == slot_id), None)
    if holder and mine is None:
        raise MatchmakingError("Another learner has that slot. Remove their pairing first, or pick a free slot.")
    moves = {request.learner_id: slot_id}
    if holder and holder is not mine:
        moves[holder.request.learner_id] = mine.slot_id
    chosen = {p.request.learner_id: p.slot_id for p in pairs.values()} | moves
    problem = build_day_problem(day=day)
    problems = violations(problem.instance, chosen.items())
    if problems:
        raise MatchmakingError(_plain(problems))
    allowed = problem.instance.find_pairs(moves.items())
    request_ids = [problem.request_ids[learner_id] for learner_id in moves]
    # Delete before creating: (proposal, slot) is unique and a swap crosses over.
    ProposedPair.objects.filter(proposal=proposal, request_id__in=request_ids).delete()
    for learner_id, new_slot in moves.items():
        _place(proposal, problem.request_ids[learner_id], allowed[(learner_id, new_slot)])
    proposal.unmatched = [row for row in proposal.unmatched if row["request"] not in request_ids]
    proposal.save(update_fields=["unmatched"])
    return ProposedPair.objects.get(proposal=proposal, request=request)


def _place(proposal: MatchProposal, request_id: int, allowed: AllowedPair) -> None:
    pair = ProposedPair(
        proposal=proposal,
        request_id=request_id,
        slot_id=allowed.slot_id,
        fit=allowed.fit,
        reasons=reasons_to_json(allowed.reasons),
        locked=True,
    )
    pair.full_clean(validate_constraints=False)
    pair.save()
