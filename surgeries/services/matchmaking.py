"""Matchmaking writes: learners' requests, running and adjusting a proposal.

Confirming (booking the pairs, in the background) is in `matchmaking_confirm`.
See docs/matchmaking.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from people.models import Perspective, Topic, User
from people.selectors import is_blocked, is_organiser
from surgeries import errors
from surgeries.matchmaking.fit import explain_unmatched
from surgeries.matchmaking.instance import AllowedPair, Assignment, violations
from surgeries.matchmaking.solver import solve
from surgeries.matchmaking.wiring import DayProblem, build_day_problem, reasons_to_json
from surgeries.models import (
    MatchProposal,
    MatchRequest,
    ProposedPair,
    RequestPreference,
    RequestTopic,
    RequestWindow,
    SurgeryDay,
)
from surgeries.services.locking import lock_day

REMOVED_TEXT = "the organiser took this pairing out of the proposal"


class MatchmakingError(errors.SurgeryError):
    default_message = "Sorry, that change to the matches could not be made."


@dataclass
class RequestDetails:
    """What a learner asks for on a day, as the form hands it over. Times are UTC."""

    topics: dict[int, int] = field(default_factory=dict)  # topic id → priority 1-3
    preferences: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, value, strength)
    languages: str = ""
    windows: list[tuple[datetime, datetime]] = field(default_factory=list)  # empty: any time
    note: str = ""


# --- Learner requests ---------------------------------------------------------------


def _merged(windows: Iterable[tuple[datetime, datetime]]) -> list[tuple[datetime, datetime]]:
    """Touching windows become one, so a slot across 11:00 fits 10:00-11:00 plus 11:00-12:00."""
    merged: list[list[datetime]] = []
    for start, end in sorted(windows):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


def _check_request(*, day: SurgeryDay, learner: User, details: RequestDetails) -> None:
    if day.status != SurgeryDay.Status.PUBLISHED or day.ends_at <= timezone.now():
        raise errors.BookingClosed("This day is not open for requests.")
    if is_blocked(person=learner, organisation=day.organisation):
        raise errors.PersonBlocked()
    if any(priority not in (1, 2, 3) for priority in details.topics.values()):
        raise MatchmakingError("Choose how important each topic is from the list.")
    for kind, value, strength in details.preferences:
        known = kind == RequestPreference.Kind.LANGUAGE or value in Perspective.values
        if kind not in RequestPreference.Kind.values or strength not in RequestPreference.Strength.values or not known:
            raise MatchmakingError("Choose your preferences from the list.")
    if any(start < day.starts_at or end > day.ends_at or end <= start for start, end in details.windows):
        raise MatchmakingError("Times you can come must be within the day.")


@transaction.atomic
def match_request_save(*, day: SurgeryDay, learner: User, details: RequestDetails) -> MatchRequest:
    """Create or replace a learner's request for a day, until the organiser has matched it."""
    _check_request(day=day, learner=learner, details=details)
    request, _ = MatchRequest.objects.select_for_update().get_or_create(day=day, learner=learner)
    if not request.is_editable:
        raise MatchmakingError("You have been matched already, so this request can no longer be changed.")
    request.languages = details.languages.strip()
    request.note = details.note.strip()
    request.full_clean(validate_constraints=False)
    request.save()
    topics = Topic.objects.filter(organisation_id=day.organisation_id, is_active=True, pk__in=list(details.topics))
    children = [RequestTopic(request=request, topic=t, priority=details.topics[t.pk]) for t in topics]
    children += [
        RequestPreference(request=request, kind=k, value=v.strip(), strength=s) for k, v, s in details.preferences
    ]
    children += [RequestWindow(request=request, starts_at=s, ends_at=e) for s, e in _merged(details.windows)]
    for model in (RequestTopic, RequestPreference, RequestWindow):
        model.objects.filter(request=request).delete()
        rows = [child for child in children if isinstance(child, model)]
        for row in rows:
            row.full_clean(exclude=["request"], validate_constraints=False)
        model.objects.bulk_create(rows)
    return request


@transaction.atomic
def match_request_withdraw(*, day: SurgeryDay, learner: User) -> None:
    """Take back a request that has not been matched yet, unless its pair is being booked right now.

    The pair rows are locked first, as deleting the request would (it deletes its pairs
    before itself) and as confirming does, so the two never wait on each other in a circle.
    """
    being_booked = ProposedPair.objects.select_for_update(of=("self",)).filter(
        request__day=day,
        request__learner=learner,
        proposal__status=MatchProposal.Status.CONFIRMING,
        outcome=ProposedPair.Outcome.PENDING,
    )
    if list(being_booked.values_list("pk", flat=True)):
        raise MatchmakingError("The organisers are booking your match right now. Please look again in a minute.")
    MatchRequest.objects.filter(day=day, learner=learner, status=MatchRequest.Status.OPEN).delete()


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


# --- My data: export and erasure --------------------------------------------------------------


def match_requests_export(person: User) -> list[dict]:
    """A person's matchmaking requests, for "Download my data"."""
    requests = (
        MatchRequest.objects.filter(learner=person)
        .select_related("day")
        .prefetch_related("topics__topic", "preferences", "windows")
    )
    return [
        {
            "day": request.day.title,
            "status": request.get_status_display(),
            "topics": [{"topic": rt.topic.name, "priority": rt.get_priority_display()} for rt in request.topics.all()],
            "preferences": [f"{p.get_strength_display()}: {p.value}" for p in request.preferences.all()],
            "languages": request.languages,
            "times": [[w.starts_at.isoformat(), w.ends_at.isoformat()] for w in request.windows.all()],
            "note": request.note,
        }
        for request in requests
    ]


def match_requests_erase(person: User) -> None:
    """Requests can hold special-category wishes ("a peer with lived experience"): delete them all.
    Bookings made from them stay, as for any booking. The "why not matched" texts kept
    on proposals quote those wishes, so the person's lines go from them too."""
    requests = MatchRequest.objects.filter(learner=person)
    request_ids = set(requests.values_list("pk", flat=True))
    proposals = MatchProposal.objects.filter(day_id__in=requests.values("day_id")).select_for_update()
    for proposal in proposals:
        kept = [row for row in proposal.unmatched if row.get("request") not in request_ids]
        if len(kept) != len(proposal.unmatched):
            proposal.unmatched = kept
            proposal.save(update_fields=["unmatched"])
    requests.delete()


def register_privacy_hooks() -> None:
    """Called from the app's ready(): matchmaking requests join the person's export and erasure."""
    from people.services import register_erasure_handler, register_export_section

    register_export_section("matchmaking_requests", match_requests_export)
    register_erasure_handler(match_requests_erase)
