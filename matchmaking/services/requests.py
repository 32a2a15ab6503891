"""Matchmaking writes: a learner's request to be matched on a day. See docs/matchmaking.md."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from matchmaking.errors import MatchmakingError
from matchmaking.models import MatchProposal, MatchRequest, ProposedPair, RequestPreference, RequestTopic, RequestWindow
from people.enums import Perspective
from people.models import User
from people.selectors import active_topics_of, is_blocked
from surgeries import errors
from surgeries.models import SurgeryDay


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
    if not day.accepts_requests(timezone.now()):
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
    topics = active_topics_of(organisation_id=day.organisation_id).filter(pk__in=list(details.topics))
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
