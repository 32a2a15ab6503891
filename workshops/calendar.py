"""Calendar invites (.ics) for workshop places.

Times are written in UTC, which every calendar app turns into the reader's own
zone; the summary and description repeat the time in the venue's zone, with its
abbreviation, so nobody has to work it out.
"""

from django.conf import settings
from django.urls import reverse
from icalendar import Calendar, Event

from surgeries.templatetags.venue_time import venue_datetime, venue_time
from workshops.models import Registration


def registration_event(registration: Registration) -> Event:
    workshop = registration.workshop
    day = workshop.day
    zone = day.venue.time_zone
    when = f"{venue_datetime(workshop.starts_at, zone)} to {venue_time(workshop.ends_at, zone)}"
    event = Event()
    event.add("uid", f"workshop-registration-{registration.pk}@surgeryday")
    event.add("dtstamp", registration.created_at)
    event.add("dtstart", workshop.starts_at)
    event.add("dtend", workshop.ends_at)
    event.add("summary", f"Workshop: {workshop.title} ({venue_time(workshop.starts_at, zone)})")
    event.add("location", f"{workshop.room}, {day.venue.name}, {day.venue.address.replace(chr(10), ', ')}")
    lines = [f"{when} ({zone}).", workshop.description]
    if workshop.online_link:
        lines.append(f"Join online: {workshop.online_link}")
    path = reverse("workshops:workshop_detail", kwargs={"workshop_id": workshop.pk})
    lines.append(f"Details and cancelling: {settings.SITE_URL.rstrip('/')}{path}")
    event.add("description", "\n\n".join(lines))
    return event


def registration_calendar(registration: Registration) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//Surgery Day//Workshops//EN")
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    calendar.add_component(registration_event(registration))
    return calendar.to_ical()
