"""Every non-trivial read in the surgeries app."""

from surgeries.selectors.bookings import (
    MyBookings,
    calendar_bookings,
    calendar_other_events,
    day_bookings,
    my_bookings,
    relationships_for,
    surgeon_sessions,
    waiting_list,
)
from surgeries.selectors.days import day_access, days_organised_by, upcoming_published_days
from surgeries.selectors.slots import (
    ProgrammeRow,
    TimelineRow,
    free_slots,
    programme,
    programme_timeline,
    slots_by_surgeon,
)

__all__ = [
    "MyBookings",
    "ProgrammeRow",
    "TimelineRow",
    "calendar_bookings",
    "calendar_other_events",
    "day_access",
    "day_bookings",
    "days_organised_by",
    "free_slots",
    "my_bookings",
    "programme",
    "programme_timeline",
    "relationships_for",
    "slots_by_surgeon",
    "surgeon_sessions",
    "upcoming_published_days",
    "waiting_list",
]
