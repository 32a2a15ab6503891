"""Every non-trivial read in the workshops app. Query counts stay fixed as days grow."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from people.models import User
from surgeries.models import DayMessage, SurgeryDay
from workshops.models import OpenSpace, Registration, Workshop, WorkshopFacilitator, WorkshopWaitingEntry

ACTIVE_PLACES = Count("registrations", filter=Q(registrations__status=Registration.Status.ACTIVE))


@dataclass(frozen=True)
class ProgrammeItem:
    """One workshop or open-space block, ready for the day's programme timeline."""

    kind: str  # "workshop" or "open_space"
    pk: int
    title: str
    room: str
    starts_at: datetime
    ends_at: datetime
    capacity: int | None = None  # None: open space, nobody registers
    places_left: int | None = None
    facilitator_names: tuple[str, ...] = ()

    @property
    def is_full(self) -> bool:
        return self.places_left == 0


def workshops_for_day(*, day: SurgeryDay, include_cancelled: bool = False) -> QuerySet[Workshop]:
    """A day's workshops in time order, with places taken and facilitators: two queries."""
    workshops = Workshop.objects.filter(day=day)
    if not include_cancelled:
        workshops = workshops.filter(status=Workshop.Status.ACTIVE)
    return (
        workshops.annotate(places_taken=ACTIVE_PLACES)
        .prefetch_related(Prefetch("facilitators", queryset=WorkshopFacilitator.objects.select_related("person")))
        .order_by("starts_at", "title", "id")
    )


def open_spaces_for_day(*, day: SurgeryDay) -> QuerySet[OpenSpace]:
    return OpenSpace.objects.filter(day=day).order_by("starts_at", "title", "id")


def programme_items(*, day: SurgeryDay) -> list[ProgrammeItem]:
    """Active workshops and open-space blocks of a day, in time order, in three queries."""
    items = [
        ProgrammeItem(
            kind="workshop",
            pk=workshop.pk,
            title=workshop.title,
            room=workshop.room,
            starts_at=workshop.starts_at,
            ends_at=workshop.ends_at,
            capacity=workshop.capacity,
            places_left=max(workshop.capacity - workshop.places_taken, 0),
            facilitator_names=tuple(f.person.display_name for f in workshop.facilitators.all()),
        )
        for workshop in workshops_for_day(day=day)
    ]
    items += [
        ProgrammeItem(
            kind="open_space",
            pk=block.pk,
            title=block.title,
            room=block.room,
            starts_at=block.starts_at,
            ends_at=block.ends_at,
        )
        for block in open_spaces_for_day(day=day)
    ]
    return sorted(items, key=lambda item: (item.starts_at, item.kind != "workshop", item.title))


def workshop_with_places(*, workshop_id: int) -> Workshop | None:
    return (
        Workshop.objects.select_related("day__organisation", "day__venue")
        .annotate(places_taken=ACTIVE_PLACES)
        .prefetch_related(Prefetch("facilitators", queryset=WorkshopFacilitator.objects.select_related("person")))
        .filter(pk=workshop_id)
        .first()
    )


def attendees(*, workshop: Workshop) -> QuerySet[Registration]:
    """Who has a place, for the facilitator's register. Names only: no profile data."""
    return (
        Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE)
        .select_related("person")
        .only("pk", "seat_number", "created_at", "from_waiting_list", "is_no_show", "person__display_name")
        .order_by("person__display_name", "id")
    )


def is_facilitator(*, user: User, workshop: Workshop) -> bool:
    """No query when the facilitators came prefetched (`workshop_with_places`)."""
    return user.is_authenticated and any(row.person_id == user.pk for row in workshop.facilitators.all())


def waiting_count(*, workshop: Workshop) -> int:
    return WorkshopWaitingEntry.objects.filter(workshop=workshop, status=WorkshopWaitingEntry.Status.WAITING).count()


def registrations_for_person(*, person: User) -> QuerySet[Registration]:
    """A person's active workshop places, soonest first, with workshop, day and venue.

    For "My bookings" and calendar feeds: `registration.workshop.starts_at/ends_at`
    are UTC; `registration.workshop.day.venue.time_zone` names the zone.
    """
    return (
        Registration.objects.filter(person=person, status=Registration.Status.ACTIVE)
        .exclude(workshop__status=Workshop.Status.CANCELLED)
        .select_related("workshop__day__venue")
        .order_by("workshop__starts_at", "id")
    )


def facilitating_for_person(*, person: User) -> QuerySet[WorkshopFacilitator]:
    """Workshops the person runs that are still on, soonest first, with day and venue.

    Workshops on a draft day are left out: only organisers can see those yet.
    """
    return (
        WorkshopFacilitator.objects.filter(person=person, workshop__status=Workshop.Status.ACTIVE)
        .exclude(workshop__day__status=SurgeryDay.Status.DRAFT)
        .select_related("workshop__day__venue")
        .order_by("workshop__starts_at", "id")
    )


def waiting_entries_for_person(*, person: User) -> QuerySet[WorkshopWaitingEntry]:
    return (
        WorkshopWaitingEntry.objects.filter(person=person, status=WorkshopWaitingEntry.Status.WAITING)
        .select_related("workshop__day__venue")
        .order_by("workshop__starts_at", "id")
    )


def my_workshops(*, person: User, now: datetime | None = None) -> dict[str, list]:
    """Upcoming and past places, and waiting-list places, for "My workshops"."""
    now = now or timezone.now()
    registrations = list(registrations_for_person(person=person))
    return {
        "upcoming": [r for r in registrations if r.workshop.ends_at > now],
        "past": [r for r in registrations if r.workshop.ends_at <= now][::-1],
        "waiting": [e for e in waiting_entries_for_person(person=person) if e.workshop.starts_at > now],
    }


def person_status(*, workshop: Workshop, person: User) -> tuple[Registration | None, WorkshopWaitingEntry | None]:
    """The person's place in, or waiting-list entry for, one workshop."""
    if not person.is_authenticated:
        return None, None
    registration = Registration.objects.filter(
        workshop=workshop, person=person, status=Registration.Status.ACTIVE
    ).first()
    waiting = WorkshopWaitingEntry.objects.filter(
        workshop=workshop, person=person, status=WorkshopWaitingEntry.Status.WAITING
    ).first()
    return registration, waiting


def message_group_people(*, day: SurgeryDay, group: str, now: datetime | None = None) -> QuerySet | None:
    """The day's workshop people in an organisers' message group, as person ids for a subquery.

    Participants and facilitators already reach "everyone" through their commitments;
    this adds the waiting lists to it, and fills the groups that ask who came and who
    did not. Someone came to a workshop if their place is active, the workshop has
    started and nobody marked them as not coming. None: no workshop people in the group.
    """
    Group = DayMessage.Group
    places = Registration.objects.filter(
        workshop__day=day, workshop__status=Workshop.Status.ACTIVE, status=Registration.Status.ACTIVE
    )
    waiting = WorkshopWaitingEntry.objects.filter(
        workshop__day=day, workshop__status=Workshop.Status.ACTIVE, status=WorkshopWaitingEntry.Status.WAITING
    )
    if group in (Group.EVERYONE, Group.WAITING):
        return waiting.values("person_id")
    if group == Group.CHECKED_IN:
        started = places.filter(is_no_show=False, workshop__starts_at__lte=now or timezone.now())
        return started.values("person_id")
    if group == Group.NO_SHOW:
        return places.filter(is_no_show=True).values("person_id")
    return None
