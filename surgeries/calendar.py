"""iCalendar (RFC 5545) for bookings, written by hand: it is a small, plain format.

Times are written in UTC (the "Z" form), which every calendar app converts to the
reader's own zone; the description repeats the time in the venue's zone, with its
abbreviation, so nobody has to work it out.
"""

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings

from surgeries.models import Booking
from surgeries.templatetags.venue_time import venue_datetime, venue_time


def _escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\r", "").replace("\n", "\\n")


def _fold(line: str) -> str:
    """Lines longer than 75 octets continue on the next line after a space."""
    encoded = line.encode()
    if len(encoded) <= 75:
        return line
    parts, current = [], b""
    for char in line:
        piece = char.encode()
        if len(current) + len(piece) > (75 if not parts else 74):
            parts.append(current.decode())
            current = b""
        current += piece
    parts.append(current.decode())
    return "\r\n ".join(parts)


def _utc(value: datetime) -> str:
    return value.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _event(booking: Booking, *, viewer_id: int) -> list[str]:
    day, slot = booking.day, booking.slot
    zone = day.venue.time_zone
    with_whom = booking.surgeon if booking.learner_id == viewer_id else booking.learner
    role = "with your surgeon" if booking.learner_id == viewer_id else "helping"
    when = f"{venue_datetime(slot.starts_at, zone)} to {venue_time(slot.ends_at, zone)} ({zone})"
    description = f"{day.title}\n{when}\nSession {role} {with_whom.display_name}."
    if day.safeguarding_contact:
        description += f"\nSafeguarding contact on the day: {day.safeguarding_contact}"
    location = f"{day.venue.name}, {day.venue.address}".replace("\n", ", ")
    if day.sessions_online(surgeon_online=slot.day_surgeon.is_online):
        # Never the video link itself: calendars sync to other services and get
        # shared. The event's URL (My bookings) shows it from the organiser's set time.
        location = "Online, by video call: the link is on My bookings"
    return [
        "BEGIN:VEVENT",
        f"UID:{booking.event_uid}",
        f"SEQUENCE:{booking.calendar_sequence}",
        f"DTSTAMP:{_utc(booking.created_at)}",
        f"DTSTART:{_utc(slot.starts_at)}",
        f"DTEND:{_utc(slot.ends_at)}",
        f"SUMMARY:{_escape(f'Social media surgery {role} {with_whom.display_name}')}",
        f"LOCATION:{_escape(location)}",
        f"DESCRIPTION:{_escape(description)}",
        f"URL:{settings.SITE_URL}/bookings/",
        "STATUS:CONFIRMED",
        "END:VEVENT",
    ]


def bookings_to_ics(
    bookings: Iterable[Booking], *, viewer_id: int, name: str = "Surgery Day", other_events: Iterable[str] = ()
) -> str:
    """The calendar; `other_events` are ready-made VEVENT blocks from other apps (workshop places)."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Surgery Day//Bookings//EN", "CALSCALE:GREGORIAN"]
    lines.append(f"X-WR-CALNAME:{_escape(name)}")
    for booking in bookings:
        lines.extend(_event(booking, viewer_id=viewer_id))
    for block in other_events:
        # Already folded, so every line is short enough and passes through _fold unchanged.
        lines.extend(line for line in block.split("\r\n") if line)
    lines.append("END:VCALENDAR")
    return "\r\n".join(_fold(line) for line in lines) + "\r\n"
