"""Every non-trivial read in the surgeries app."""

from surgeries.selectors.bookings import (
    MyBookings,
    calendar_bookings,
    day_bookings,
    my_bookings,
    surgeon_sessions,
    waiting_list,
)
from surgeries.selectors.days import days_organised_by, upcoming_published_days
from surgeries.selectors.relationships import relationships_for
from surgeries.selectors.slots import (
    ProgrammeRow,
    busy_times,
    free_slots,
    programme,
    slots_by_surgeon,
)

__all__ = [
    "MyBookings",
    "ProgrammeRow",
    "busy_times",
    "calendar_bookings",
    "day_bookings",
    "days_organised_by",
    "free_slots",
    "my_bookings",
    "programme",
    "relationships_for",
    "slots_by_surgeon",
    "surgeon_sessions",
    "upcoming_published_days",
    "waiting_list",
]
