"""The messages `surgeries` sends, registered with the outbox in `people`.

- `days`: the day reminder and the day-cancelled notice;
- `bookings`: confirmation, the surgeon's notice, session reminders, cancellation
  notices, the waiting-list place and the feedback request;
- `surgeons`: the surgeon's reminder and day sheet;
- `failures`: the digest of failed messages sent to the day's organisers;
- `scheduling`: what the surgeries services call inside their transactions.

docs/reminders.md lists every kind, who gets it and when.
"""

from surgeries.notifications.bookings import (
    BOOKING_CANCELLED,
    BOOKING_CONFIRMED,
    BOOKING_RECEIVED,
    FEEDBACK_REQUEST,
    SESSION_REMINDER,
    WAITING_LIST_PLACE,
    offset_slot,
    register_booking_kinds,
)
from surgeries.notifications.days import (
    DAY_CANCELLED,
    DAY_REMINDER,
    EVENING_BEFORE,
    EVENING_REMINDER_AT,
    HOUR_BEFORE,
    day_cancellation_notify,
    day_reminder_due_at,
    day_reminders_schedule,
    register_day_kinds,
)
from surgeries.notifications.failures import FAILURE_DIGEST, register_failure_kinds
from surgeries.notifications.scheduling import (
    booking_cancelled_notify,
    booking_moved_notify,
    booking_notifications_schedule,
    day_cancelled_notify_everyone,
    day_notifications_reschedule,
)
from surgeries.notifications.surgeons import DAY_SHEET, SURGEON_REMINDER, register_surgeon_kinds


def register() -> None:
    register_day_kinds()
    register_booking_kinds()
    register_surgeon_kinds()
    register_failure_kinds()


__all__ = [
    "BOOKING_CANCELLED",
    "BOOKING_CONFIRMED",
    "BOOKING_RECEIVED",
    "DAY_CANCELLED",
    "DAY_REMINDER",
    "DAY_SHEET",
    "EVENING_BEFORE",
    "EVENING_REMINDER_AT",
    "FAILURE_DIGEST",
    "FEEDBACK_REQUEST",
    "HOUR_BEFORE",
    "SESSION_REMINDER",
    "SURGEON_REMINDER",
    "WAITING_LIST_PLACE",
    "booking_cancelled_notify",
    "booking_moved_notify",
    "booking_notifications_schedule",
    "day_cancellation_notify",
    "day_cancelled_notify_everyone",
    "day_notifications_reschedule",
    "day_reminder_due_at",
    "day_reminders_schedule",
    "offset_slot",
    "register",
]
