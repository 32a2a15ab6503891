"""Surgery day models, split by subject and re-exported here."""

from surgeries.models.booking import (
    Booking,
    CalendarFeed,
    Commitment,
    WaitingListEntry,
)
from surgeries.models.days import (
    DayAggregate,
    DayBreak,
    SurgeryDay,
    Venue,
    default_reminder_offsets,
    validate_reminder_offsets,
    validate_time_zone,
)
from surgeries.models.series import MAX_SERIES_DATES, DaySeries, SeriesException
from surgeries.models.surgeons import AvailabilityWindow, DaySurgeon, Slot

__all__ = [
    "MAX_SERIES_DATES",
    "AvailabilityWindow",
    "Booking",
    "CalendarFeed",
    "Commitment",
    "DayAggregate",
    "DayBreak",
    "DaySeries",
    "DaySurgeon",
    "SeriesException",
    "Slot",
    "SurgeryDay",
    "Venue",
    "WaitingListEntry",
    "default_reminder_offsets",
    "validate_reminder_offsets",
    "validate_time_zone",
]
