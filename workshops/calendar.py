"""Calendar invites (.ics) for workshop places and for the workshops a person runs.

Times are written in UTC, which every calendar app turns into the reader's own
zone; the summary and description repeat the time in the venue's zone, with its
abbreviation, so nobody has to work it out.
"""

from datetime import datetime

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from surgeries.templatetags.venue_time import venue_datetime, venue_time
from workshops.models import Registration, Workshop, WorkshopFacilitator


def _workshop_event(workshop: Workshop, *, uid: str, stamp: datetime, heading: str, link: tuple[str, str]) -> Event:
    day = workshop.day
    zone = day.venue.time_zone
    when = f"{venue_datetime(workshop.starts_at, zone)} to {venue_time(workshop.ends_at, zone)}"
    event = Event()
    event.add("uid", uid)
    event.add("sequence", workshop.calendar_sequence)
    event.add("dtstamp", stamp)
    event.add("dtstart", workshop.starts_at)
    event.add("dtend", workshop.ends_at)
    event.add("summary", f"{heading}: {workshop.title} ({venue_time(workshop.starts_at, zone)})")
    event.add("location", f"{workshop.room}, {day.venue.name}, {day.venue.address.replace(chr(10), ', ')}")
    lines = [f"{when} ({zone}).", workshop.description]
    if workshop.online_link:
        lines.append(f"Join online: {workshop.online_link}")
    label, path = link
    lines.append(f"{label}: {settings.SITE_URL.rstrip('/')}{path}")
    event.add("description", "\n\n".join(lines))
    return event


def registration_event(registration: Registration) -> Event:
    workshop = registration.workshop
    return _workshop_event(
        workshop,
        uid=f"workshop-registration-{registration.pk}@surgeryday",
        stamp=registration.created_at,
        heading="Workshop",
        link=("Details and cancelling", reverse("workshops:workshop_detail", kwargs={"workshop_id": workshop.pk})),
    )


def facilitator_event(facilitator: WorkshopFacilitator) -> Event:
    """A workshop the person runs: its own UID, so it never merges with a place in it."""
    workshop = facilitator.workshop
    return _workshop_event(
        workshop,
        uid=f"workshop-facilitator-{facilitator.pk}@surgeryday",
        stamp=workshop.created_at,
        heading="Running workshop",
        link=("Who is coming", reverse("workshops:attendee_register", kwargs={"workshop_id": workshop.pk})),
    )


def _calendar(event: Event) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Surgery Day//Workshops//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(event)
    return calendar.to_ical()


def registration_calendar(registration: Registration) -> bytes:
    return _calendar(registration_event(registration))


def facilitator_calendar(facilitator: WorkshopFacilitator) -> bytes:
    return _calendar(facilitator_event(facilitator))
