"""Every non-trivial read in the surgeries app."""

from surgeries.selectors.attendees import (
    AttendeeRow,
    SentMessage,
    attendee_rows,
    day_messages_sent,
    message_recipients,
)
from surgeries.selectors.bookings import (
    MyBookings,
    calendar_bookings,
    day_bookings,
    my_bookings,
    surgeon_sessions,
    waiting_list,
)
from surgeries.selectors.days import (
    MyPartInDay,
    day_surgeon_of,
    days_organised_by,
    my_part_in_day,
    publish_warnings,
    upcoming_published_days,
)
from surgeries.selectors.relationships import relationships_for
from surgeries.selectors.slots import (
    ProgrammeRow,
    busy_times,
    free_slots,
    programme,
    slots_by_surgeon,
)

__all__ = [
    "AttendeeRow",
    "MyBookings",
    "MyPartInDay",
    "ProgrammeRow",
    "SentMessage",
    "attendee_rows",
    "busy_times",
    "calendar_bookings",
    "day_bookings",
    "day_messages_sent",
    "day_surgeon_of",
    "days_organised_by",
    "free_slots",
    "message_recipients",
    "my_bookings",
    "my_part_in_day",
    "programme",
    "publish_warnings",
    "relationships_for",
    "slots_by_surgeon",
    "surgeon_sessions",
    "upcoming_published_days",
    "waiting_list",
]
