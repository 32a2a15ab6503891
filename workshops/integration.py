"""What workshops offers the surgeries pages through their registries.

surgeries must not import workshops, so these adapters turn workshop reads into
the plain rows surgeries understands, and `WorkshopsConfig.ready()` registers
them. Each adapter reads in a fixed number of queries.
"""

from datetime import datetime

from django.urls import reverse

from people.models import User
from surgeries.agenda import AgendaItem, AgendaSource, register_agenda_source
from surgeries.models import SurgeryDay
from surgeries.programme import ProgrammeEntry, register_programme_source
from surgeries.services.days import register_day_finished_hook
from workshops.calendar import facilitator_event, registration_event
from workshops.models import Registration, Workshop, WorkshopFacilitator
from workshops.selectors import (
    facilitating_for_person,
    programme_items,
    registrations_for_person,
    waiting_entries_for_person,
)
from workshops.services.registration import waiting_lists_end_for_days


def programme_source(day: SurgeryDay) -> list[ProgrammeEntry]:
    """Active workshops and open space for the day's programme: three queries."""
    entries = []
    for item in programme_items(day=day):
        if item.kind == "workshop":
            run_by = ", ".join(item.facilitator_names)
            entries.append(
                ProgrammeEntry(
                    kind="workshop",
                    kind_label="Workshop",
                    title=item.title,
                    room=item.room,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    places_left=item.places_left,
                    url=reverse("workshops:workshop_detail", kwargs={"workshop_id": item.pk}),
                    detail=f"Run by {run_by}" if run_by else "",
                )
            )
        else:
            entries.append(
                ProgrammeEntry(
                    kind="open_space",
                    kind_label="Open space",
                    title=item.title,
                    room=item.room,
                    starts_at=item.starts_at,
                    ends_at=item.ends_at,
                    detail="No need to register",
                )
            )
    return entries


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


def agenda_places(person: User) -> list[AgendaItem]:
    """The person's workshop places and the workshops they run, for "My bookings": two queries.

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
    return places + running


def agenda_waiting(person: User) -> list[AgendaItem]:
    """Workshops the person is waiting for a place in: one query."""
    return [
        _agenda_item(entry.workshop)
        for entry in waiting_entries_for_person(person=person)
        if entry.workshop.status == Workshop.Status.ACTIVE
    ]


def agenda_calendar_events(person: User, since: datetime) -> list[str]:
    """The person's workshop places and the workshops they run, as VEVENT blocks for
    the private feed: two queries."""
    registrations: list[Registration] = list(
        registrations_for_person(person=person).filter(workshop__ends_at__gte=since)
    )
    running: list[WorkshopFacilitator] = list(
        facilitating_for_person(person=person).filter(workshop__ends_at__gte=since)
    )
    events = [registration_event(registration) for registration in registrations]
    events += [facilitator_event(row) for row in running]
    return [event.to_ical().decode() for event in events]


AGENDA_SOURCE = AgendaSource(places=agenda_places, waiting=agenda_waiting, calendar_events=agenda_calendar_events)


def register() -> None:
    register_programme_source(programme_source)
    register_agenda_source(AGENDA_SOURCE)
    # A finished day's workshops have happened, so their waiting lists end with it.
    register_day_finished_hook(waiting_lists_end_for_days)
