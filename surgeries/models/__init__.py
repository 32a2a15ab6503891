"""Surgery day models, split by subject and re-exported here."""

from surgeries.models.booking import (
    Booking,
    CalendarFeed,
    Commitment,
    WaitingListEntry,
)
from surgeries.models.days import (
    DEFAULT_LINK_SHOWN_MINUTES_BEFORE,
    DayAggregate,
    DayBreak,
    SurgeryDay,
    Venue,
    default_reminder_offsets,
    validate_reminder_offsets,
    validate_time_zone,
    validate_video_link,
)
from surgeries.models.messages import DayMessage, ReminderWording
from surgeries.models.series import MAX_SERIES_DATES, DaySeries, SeriesException
from surgeries.models.surgeons import AvailabilityWindow, DaySurgeon, Slot, SurgeonWithdrawal

__all__ = [
    "DEFAULT_LINK_SHOWN_MINUTES_BEFORE",
    "MAX_SERIES_DATES",
    "AvailabilityWindow",
    "Booking",
    "CalendarFeed",
    "Commitment",
    "DayAggregate",
    "DayBreak",
    "DayMessage",
    "DaySeries",
    "DaySurgeon",
    "ReminderWording",
    "SeriesException",
    "Slot",
    "SurgeonWithdrawal",
    "SurgeryDay",
    "Venue",
    "WaitingListEntry",
    "default_reminder_offsets",
    "validate_reminder_offsets",
    "validate_time_zone",
    "validate_video_link",
]
