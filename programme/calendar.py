"""The private calendar feed: a person's sessions and workshop places in one calendar.

The sessions' events are written by surgeries/calendar.py and the workshops' by
workshops/calendar.py (each app also sends them as single invites); the feed puts
them together.
"""

from datetime import timedelta

from django.utils import timezone

from people.models import User
from surgeries.calendar import bookings_to_ics
from surgeries.selectors import calendar_bookings
from workshops.calendar import facilitator_event, registration_event
from workshops.selectors import facilitating_for_person, registrations_for_person


def workshop_events(*, person: User) -> list[str]:
    """The person's workshop places and the workshops they run, from a month ago on,
    as VEVENT blocks: two queries."""
    since = timezone.now() - timedelta(days=31)
    registrations = registrations_for_person(person=person).filter(workshop__ends_at__gte=since)
    running = facilitating_for_person(person=person).filter(workshop__ends_at__gte=since)
    events = [registration_event(registration) for registration in registrations]
    events += [facilitator_event(row) for row in running]
    return [event.to_ical().decode() for event in events]


def feed_ics(*, person: User) -> str:
    """The whole feed, in a fixed number of queries."""
    bookings = calendar_bookings(person=person)
    return bookings_to_ics(bookings, viewer_id=person.pk, other_events=workshop_events(person=person))
