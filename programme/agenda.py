"""A person's places on surgery days, for "My bookings": sessions and workshops.

programme sits above surgeries and workshops, so it reads both directly. Each
read takes a fixed number of queries, so the page's query count does not grow
with the number of places.
"""

from dataclasses import dataclass, field
from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from people.models import User
from surgeries import selectors as surgery_selectors
from surgeries.models import Booking, WaitingListEntry
from workshops.models import Workshop
from workshops.selectors import facilitating_for_person, registrations_for_person, waiting_entries_for_person


@dataclass(frozen=True)
class AgendaItem:
    """One place (or waiting-list place) that is not a one-to-one booking."""

    kind: str  # for example "workshop"
    kind_label: str  # shown to people: "Workshop"
    title: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str  # the venue's IANA zone, for the venue_time filters
    day_id: int
    day_title: str
    role: str  # shown to people: "Participant", "Facilitator"
    url: str
    calendar_url: str = ""
    cancel_url: str = ""
    # For someone running a group session: the list of who is coming.
    register_url: str = ""


def _agenda_item(workshop: Workshop, *, role: str = "Participant", **links: str) -> AgendaItem:
    day = workshop.day
    return AgendaItem(
        kind="workshop",
        kind_label="Workshop",
        title=workshop.title,
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        time_zone=day.venue.time_zone,
        day_id=day.pk,
        day_title=day.title,
        role=role,
        url=reverse("workshops:workshop_detail", kwargs={"workshop_id": workshop.pk}),
        **links,
    )


def workshop_places(*, person: User) -> list[AgendaItem]:
    """The person's workshop places and the workshops they run, in time order: two queries.

    Someone running a workshop gets its register rather than a cancel link: only
    organisers can take them off it.
    """
    places = [
        _agenda_item(
            registration.workshop,
            calendar_url=reverse("workshops:registration_ics", kwargs={"registration_id": registration.pk}),
            cancel_url=reverse("workshops:registration_cancel", kwargs={"registration_id": registration.pk}),
        )
        for registration in registrations_for_person(person=person)
    ]
    running = [
        _agenda_item(
            row.workshop,
            role="Facilitator",
            register_url=reverse("workshops:attendee_register", kwargs={"workshop_id": row.workshop_id}),
        )
        for row in facilitating_for_person(person=person)
    ]
    return sorted(places + running, key=lambda item: item.starts_at)


def workshop_waiting(*, person: User) -> list[AgendaItem]:
    """Active workshops the person is waiting for a place in, in time order: one query."""
    items = [
        _agenda_item(entry.workshop)
        for entry in waiting_entries_for_person(person=person)
        if entry.workshop.status == Workshop.Status.ACTIVE
    ]
    return sorted(items, key=lambda item: item.starts_at)


@dataclass
class MyBookings:
    upcoming: list[Booking]
    past: list[Booking]
    waiting: list[WaitingListEntry]
    other_upcoming: list[AgendaItem] = field(default_factory=list)
    other_past: list[AgendaItem] = field(default_factory=list)
    other_waiting: list[AgendaItem] = field(default_factory=list)


def my_bookings(*, person: User, now: datetime | None = None) -> MyBookings:
    """Everything a person is booked into: sessions (as learner or surgeon, cancelled
    ones too), workshop places and the workshops they run, and waiting lists."""
    now = now or timezone.now()
    sessions = surgery_selectors.my_bookings(person=person, now=now)
    others = workshop_places(person=person)
    return MyBookings(
        upcoming=sessions.upcoming,
        past=sessions.past,
        waiting=sessions.waiting,
        other_upcoming=[item for item in others if item.ends_at > now],
        other_past=[item for item in reversed(others) if item.ends_at <= now],
        other_waiting=[item for item in workshop_waiting(person=person) if item.starts_at > now],
    )
