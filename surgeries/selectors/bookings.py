"""Reads about bookings: a person's own, a surgeon's day sheet, the desk."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone

from people.models import User
from surgeries.models import Booking, Commitment, DaySurgeon, SurgeryDay, WaitingListEntry


def _with_related(queryset: QuerySet[Booking]) -> QuerySet[Booking]:
    return queryset.select_related("slot", "learner", "surgeon", "day__venue", "day__organisation").prefetch_related(
        "topics"
    )


@dataclass
class MyBookings:
    upcoming: list[Booking]
    past: list[Booking]
    waiting: list[WaitingListEntry]


def my_bookings(*, person: User, now: datetime | None = None) -> MyBookings:
    """Every session a person is booked into, as learner or as surgeon; cancelled ones too.

    programme/agenda.py adds their workshop places for "My bookings"."""
    now = now or timezone.now()
    bookings = list(
        _with_related(Booking.objects.filter(Q(learner=person) | Q(surgeon=person)))
        .filter(Q(status=Booking.Status.ACTIVE) | Q(learner=person))
        .order_by("slot__starts_at", "id")
    )
    waiting = list(
        WaitingListEntry.objects.filter(person=person, status=WaitingListEntry.Status.WAITING, day__ends_at__gt=now)
        .select_related("day__venue")
        .order_by("day__starts_at")
    )
    return MyBookings(
        upcoming=[b for b in bookings if b.slot.ends_at > now],
        past=[b for b in reversed(bookings) if b.slot.ends_at <= now],
        waiting=waiting,
    )


def calendar_bookings(*, person: User) -> QuerySet[Booking]:
    """Active bookings for a calendar feed, learner or surgeon, from a month ago on."""
    since = timezone.now() - timedelta(days=31)
    return _with_related(
        Booking.objects.filter(Q(learner=person) | Q(surgeon=person), status=Booking.Status.ACTIVE)
        .filter(slot__ends_at__gte=since)
        .order_by("slot__starts_at")
    )


def day_bookings(*, day: SurgeryDay) -> QuerySet[Booking]:
    """Active bookings on a day for the desk, in time order."""
    return _with_related(Booking.objects.filter(day=day, status=Booking.Status.ACTIVE)).order_by(
        "slot__starts_at", "surgeon__display_name"
    )


def surgeon_sessions(*, day_surgeon: DaySurgeon) -> QuerySet[Booking]:
    return _with_related(Booking.objects.filter(slot__day_surgeon=day_surgeon, status=Booking.Status.ACTIVE)).order_by(
        "slot__starts_at"
    )


def waiting_list(*, day: SurgeryDay) -> QuerySet[WaitingListEntry]:
    return (
        WaitingListEntry.objects.filter(day=day, status=WaitingListEntry.Status.WAITING)
        .select_related("person")
        .prefetch_related("topics")
        .order_by("created_at", "id")
    )


def relationships_for(viewer: User, person_ids) -> dict[int, set[str]]:
    """How the viewer is connected to each person, for the visibility policy.

    "paired": they are learner and surgeon on a booking that is not cancelled.
    "event": both take part in the same day that is not cancelled: as a surgeon on
    it, or with an active commitment on it (a booking as learner, a workshop place
    or a workshop they run). Five queries whatever the number of people.
    """
    ids = set(person_ids) - {viewer.pk}
    result: dict[int, set[str]] = {pid: set() for pid in ids}
    if not ids or not viewer.is_authenticated:
        return result
    active = Booking.objects.filter(status=Booking.Status.ACTIVE).exclude(day__status=SurgeryDay.Status.CANCELLED)
    for learner_id, surgeon_id in active.filter(
        Q(learner=viewer, surgeon_id__in=ids) | Q(surgeon=viewer, learner_id__in=ids)
    ).values_list("learner_id", "surgeon_id"):
        result[surgeon_id if learner_id == viewer.pk else learner_id].add("paired")
    viewer_days = {day_id for _, day_id in _participant_pairs(person_ids=[viewer.pk])}
    for person_id, day_id in _participant_pairs(person_ids=ids):
        if day_id in viewer_days:
            result[person_id].add("event")
    return result


def _participant_pairs(*, person_ids) -> set[tuple[int, int]]:
    """(person, day) for everyone taking part in a day that is not cancelled: two queries.

    Every active booking writes an active `Commitment` for its learner, and so does
    every workshop place and workshop facilitator (from the workshops app), so the
    commitments cover all of them without surgeries knowing about workshops. A
    surgeon with no sessions booked has no commitment yet, hence `DaySurgeon`.
    """
    live = ~Q(day__status=SurgeryDay.Status.CANCELLED)
    surgeons = DaySurgeon.objects.filter(live, person_id__in=person_ids).values_list("person_id", "day_id")
    committed = Commitment.objects.filter(live, is_active=True, person_id__in=person_ids)
    return set(surgeons) | set(committed.values_list("person_id", "day_id"))
