"""Turn one surgery day's models into a matchmaking `Instance`, in a fixed number of queries.

The core (`matchmaking/core/`: `instance`, `fit`, `solver`) never reads the database;
this module loads it from the models. It follows the steps in
docs/matchmaking.md ("Wiring it to the models").
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Count, Prefetch, Q
from django.utils import timezone

from matchmaking.core.fit import (
    LearnerRequest,
    Preference,
    Strength,
    SurgeonPerspective,
    SurgeonProfile,
    allowed_pairs,
)
from matchmaking.core.instance import (
    AllowedPair,
    Id,
    Instance,
    ReasonKind,
    ReasonPart,
    Slot,
    Surgeon,
    violations,
)
from matchmaking.models import MatchRequest, RequestTopic
from people.enums import ORGANISER, PAIRED
from people.models import PersonPerspective, Profile
from people.selectors import blocked_people, topics_offered_for
from people.visibility import levels_visible_to
from surgeries import models
from surgeries.models.booking import overlaps_any
from surgeries.selectors import busy_times

# A person who has not said which languages they use is taken to use the day's
# working language, so they can still be matched.
DEFAULT_LANGUAGE = "English"

Interval = tuple[datetime, datetime]


@dataclass(frozen=True)
class SurgeonSide:
    """The day's surgeons with sessions left, their profiles and their free slots."""

    surgeons: tuple[Surgeon, ...]
    profiles: tuple[SurgeonProfile, ...]
    slots: tuple[Slot, ...]


@dataclass(frozen=True)
class DayProblem:
    """An `Instance` plus what the screens need to explain it."""

    instance: Instance
    requests: dict[Id, LearnerRequest]  # by learner id
    request_ids: dict[Id, int]  # learner id → MatchRequest id
    profiles: tuple[SurgeonProfile, ...]
    slots: tuple[Slot, ...]
    suitable: Counter = field(default_factory=Counter)  # learner id → allowed pairs they had
    dropped_locks: tuple[tuple[Id, Id], ...] = ()


def language_set(text: str) -> frozenset[str]:
    """'english, Urdu ,BSL' → {'English', 'Urdu', 'BSL'}; empty means the default language."""
    names = set()
    for part in text.replace(";", ",").split(","):
        name = " ".join(part.split())
        if name:
            names.add(name if name.isupper() else name[:1].upper() + name[1:].lower())
    return frozenset(names or {DEFAULT_LANGUAGE})


def surgeon_perspective(code: str, visibility: str, *, viewer: str = ORGANISER) -> SurgeonPerspective:
    """The two flags the core needs, from the surgeon's own visibility choice.

    Matchmaking is an organiser action, so a perspective counts only if organisers
    may see it. A learner ranking slots for themselves (viewer EVENT) may only use
    what the surgeon shows everyone at the event.
    """
    usable = visibility in levels_visible_to(viewer)
    return SurgeonPerspective(code, usable, usable and visibility in levels_visible_to(PAIRED))


def learner_request(request: MatchRequest) -> LearnerRequest:
    """A stored request as the core's `LearnerRequest`; needs topics, preferences and windows prefetched."""
    preferences = tuple(
        Preference(ReasonKind(p.kind), p.value, Strength(p.strength)) for p in request.preferences.all()
    )
    windows = tuple((w.starts_at, w.ends_at) for w in request.windows.all())
    return LearnerRequest(
        learner_id=request.learner_id,
        wanted={rt.topic.name: rt.priority for rt in request.topics.all()},
        languages=language_set(request.languages),
        preferences=preferences,
        free=windows or None,
    )


def open_requests(*, day: models.SurgeryDay):
    """Requests still waiting on this day, leaving out people the organisation has blocked
    and people who have already booked a session that day themselves."""
    booked = models.Booking.objects.filter(day=day, status=models.Booking.Status.ACTIVE).values("learner_id")
    return (
        MatchRequest.objects.filter(day=day, status=MatchRequest.Status.OPEN)
        .exclude(learner_id__in=blocked_people(organisation_id=day.organisation_id))
        .exclude(learner_id__in=booked)
        .prefetch_related(
            Prefetch("topics", queryset=RequestTopic.objects.select_related("topic")),
            "preferences",
            "windows",
        )
        .order_by("created_at", "id")
    )


def surgeon_side(*, day: models.SurgeryDay, now: datetime | None = None, viewer: str = ORGANISER) -> SurgeonSide:
    """Surgeons (not blocked, sessions left), their profiles and their free, future slots. Five queries."""
    now = now or timezone.now()
    active = Q(slots__bookings__status=models.Booking.Status.ACTIVE)
    day_surgeons = list(
        models.DaySurgeon.objects.filter(day=day)
        .exclude(person_id__in=blocked_people(organisation_id=day.organisation_id))
        .annotate(booked=Count("slots__bookings", filter=active))
    )
    left = {ds.person_id: max(ds.max_sessions - ds.booked, 0) for ds in day_surgeons}
    slots = tuple(
        Slot(row.pk, row.surgeon_id, row.starts_at, row.ends_at)
        for row in models.Slot.objects.filter(
            day=day, is_offered=True, starts_at__gt=now, day_surgeon__in=[ds.pk for ds in day_surgeons]
        )
        .exclude(bookings__status=models.Booking.Status.ACTIVE)
        .order_by("starts_at", "id")
    )
    return SurgeonSide(
        surgeons=tuple(Surgeon(person_id, sessions) for person_id, sessions in left.items()),
        profiles=surgeon_profiles(person_ids=list(left), viewer=viewer),
        slots=slots,
    )


def surgeon_profiles(*, person_ids: list[int], viewer: str = ORGANISER) -> tuple[SurgeonProfile, ...]:
    """Topic confidences, languages and usable perspectives of these surgeons. Three queries."""
    confidence: dict[int, dict[str, int]] = defaultdict(dict)
    for offer in topics_offered_for(person_ids=person_ids).filter(topic__is_active=True):
        confidence[offer.person_id][offer.topic.name] = offer.confidence
    languages = dict(Profile.objects.filter(person_id__in=person_ids).values_list("person_id", "languages"))
    perspectives: dict[int, list[SurgeonPerspective]] = defaultdict(list)
    for row in PersonPerspective.objects.filter(person_id__in=person_ids):
        perspectives[row.person_id].append(surgeon_perspective(row.perspective, row.visibility, viewer=viewer))
    return tuple(
        SurgeonProfile(
            surgeon_id=person_id,
            confidence=confidence[person_id],
            languages=language_set(languages.get(person_id, "")),
            perspectives=tuple(perspectives[person_id]),
        )
        for person_id in person_ids
    )


def clashes(intervals: Iterable[Interval], slot: Slot) -> bool:
    """Whether a core slot overlaps any of these times, by surgeries' one overlap rule."""
    return overlaps_any(intervals, slot.start, slot.end)


def possible_pairs(
    requests: Iterable[LearnerRequest], side: SurgeonSide, busy: dict[int, list[Interval]]
) -> list[AllowedPair]:
    """The core's allowed pairs minus what it cannot see: clashes for either person.

    A learner who also helps that day counts their own free slots as busy, so
    someone helping at 11:00 is never matched as a learner at 11:00.
    """
    requests = list(requests)
    learner_ids = {request.learner_id for request in requests}
    learner_busy = {learner: list(busy.get(learner, [])) for learner in learner_ids}
    for slot in side.slots:
        if slot.surgeon_id in learner_ids:
            learner_busy[slot.surgeon_id].append((slot.start, slot.end))
    slot_by_id = {slot.id: slot for slot in side.slots}
    return [
        pair
        for pair in allowed_pairs(requests, side.profiles, side.slots)
        if not clashes(learner_busy[pair.learner_id], slot_by_id[pair.slot_id])
        and not clashes(busy.get(slot_by_id[pair.slot_id].surgeon_id, []), slot_by_id[pair.slot_id])
    ]


def _keep_valid_locks(instance: Instance, locked: Iterable[tuple[Id, Id]]) -> tuple[list, list]:
    """Locks still possible and consistent with each other, and the ones that had to go."""
    kept: list[tuple[Id, Id]] = []
    dropped: list[tuple[Id, Id]] = []
    for key in locked:
        (dropped if violations(instance, [*kept, key]) else kept).append(key)
    return kept, dropped


def build_day_problem(*, day: models.SurgeryDay, locked: Iterable[tuple[Id, Id]] = ()) -> DayProblem:
    """Everything matchmaking needs for a day, in ten queries whatever its size.

    1. Load open requests (not blocked people) as `LearnerRequest`s.
    2. Load surgeons with sessions left, their profiles and free future slots.
    3. Load everyone's commitments that day, to drop clashing pairs.
    4. Let the core list allowed pairs (self, language, musts, topics, free times),
       then drop clashes for the learner or the surgeon.
    5. Keep the organiser's locks that are still possible; report the rest.
    """
    rows = list(open_requests(day=day))
    requests = {row.learner_id: learner_request(row) for row in rows}
    side = surgeon_side(day=day)
    busy = busy_times(day=day, person_ids=[*requests, *(surgeon.id for surgeon in side.surgeons)])
    pairs = possible_pairs(requests.values(), side, busy)
    instance = Instance(learners=tuple(requests), surgeons=side.surgeons, slots=side.slots, pairs=tuple(pairs))
    kept, dropped = _keep_valid_locks(instance, locked)
    return DayProblem(
        instance=Instance(instance.learners, instance.surgeons, instance.slots, instance.pairs, tuple(kept)),
        requests=requests,
        request_ids={row.learner_id: row.pk for row in rows},
        profiles=side.profiles,
        slots=side.slots,
        suitable=Counter(pair.learner_id for pair in pairs),
        dropped_locks=tuple(dropped),
    )


def reasons_to_json(reasons: Iterable[ReasonPart]) -> list[dict]:
    """Reason parts as stored on a proposed pair and a matched request."""
    return [
        {
            "kind": str(r.kind),
            "value": r.value,
            "points": r.points,
            "must": r.must,
            "visible_to_pair": r.visible_to_pair,
        }
        for r in reasons
    ]


def reasons_from_json(data: Iterable[dict]) -> tuple[ReasonPart, ...]:
    return tuple(
        ReasonPart(
            kind=ReasonKind(item["kind"]),
            value=item["value"],
            points=item.get("points", 0),
            must=item.get("must", False),
            visible_to_pair=item.get("visible_to_pair", False),
        )
        for item in data
    )
