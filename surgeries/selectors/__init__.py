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
    sessions_to_withdraw,
    surgeon_sessions,
    waiting_list,
    with_video,
)
from surgeries.selectors.days import (
    MyPartInDay,
    day_surgeon_of,
    days_organised_by,
    my_part_in_day,
    publish_warnings,
    upcoming_published_days,
    withdrawals_of,
)
from surgeries.selectors.desk import DeskRow, DeskSection, desk_bookings, desk_sections
from surgeries.selectors.hours import pick_time, slots_by_time
from surgeries.selectors.relationships import relationships_for
from surgeries.selectors.slots import (
    ProgrammeRow,
    busy_times,
    free_slots,
    programme,
)

__all__ = [
    "AttendeeRow",
    "DeskRow",
    "DeskSection",
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
    "desk_bookings",
    "desk_sections",
    "free_slots",
    "message_recipients",
    "my_bookings",
    "my_part_in_day",
    "pick_time",
    "programme",
    "publish_warnings",
    "relationships_for",
    "sessions_to_withdraw",
    "slots_by_time",
    "surgeon_sessions",
    "upcoming_published_days",
    "waiting_list",
    "with_video",
    "withdrawals_of",
]
