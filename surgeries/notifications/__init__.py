"""The messages `surgeries` sends. The outbox reads `KINDS` and `FAILURE_LISTENERS`
below (outbox/registry.py).

- `days`: the day reminder and the day-cancelled notice;
- `bookings`: confirmation, the surgeon's notice, session reminders, cancellation
  notices, the waiting-list place and the feedback request;
- `surgeons`: the surgeon's reminder and day sheet;
- `messages`: organisers' own messages to the people of a day;
- `failures`: the digest of failed messages sent to the day's organisers;
- `scheduling`: what the surgeries services call inside their transactions.

docs/reminders.md lists every kind, who gets it and when.
"""

from surgeries.notifications.bookings import (
    BOOKING_CANCELLED,
    BOOKING_CONFIRMED,
    BOOKING_KINDS,
    BOOKING_RECEIVED,
    FEEDBACK_REQUEST,
    NO_PLACE,
    ON_WAITING_LIST,
    REBOOKED,
    SESSION_REMINDER,
    SURGEON_WITHDREW,
    WAITING_LIST_PLACE,
    offset_slot,
)
from surgeries.notifications.days import (
    DAY_CANCELLED,
    DAY_KINDS,
    DAY_REMINDER,
    EVENING_BEFORE,
    EVENING_REMINDER_AT,
    HOUR_BEFORE,
    day_cancellation_notify,
    day_reminder_due_at,
    day_reminders_schedule,
)
from surgeries.notifications.failures import FAILURE_DIGEST, FAILURE_KINDS, failure_digest_schedule
from surgeries.notifications.messages import (
    DAY_MESSAGE,
    DAY_MESSAGE_ESSENTIAL,
    MESSAGE_KINDS,
    day_message_notify,
    message_kind,
)
from surgeries.notifications.scheduling import (
    booking_cancelled_notify,
    booking_moved_notify,
    booking_notifications_schedule,
    day_cancelled_notify_everyone,
    day_notifications_reschedule,
    surgeon_withdrawal_notify,
)
from surgeries.notifications.surgeons import DAY_SHEET, SURGEON_KINDS, SURGEON_REMINDER

KINDS = (*DAY_KINDS, *BOOKING_KINDS, *SURGEON_KINDS, *FAILURE_KINDS, *MESSAGE_KINDS)
FAILURE_LISTENERS = (failure_digest_schedule,)


__all__ = [
    "BOOKING_CANCELLED",
    "BOOKING_CONFIRMED",
    "BOOKING_RECEIVED",
    "DAY_CANCELLED",
    "DAY_MESSAGE",
    "DAY_MESSAGE_ESSENTIAL",
    "DAY_REMINDER",
    "DAY_SHEET",
    "EVENING_BEFORE",
    "EVENING_REMINDER_AT",
    "FAILURE_DIGEST",
    "FAILURE_LISTENERS",
    "FEEDBACK_REQUEST",
    "HOUR_BEFORE",
    "KINDS",
    "NO_PLACE",
    "ON_WAITING_LIST",
    "REBOOKED",
    "SESSION_REMINDER",
    "SURGEON_REMINDER",
    "SURGEON_WITHDREW",
    "WAITING_LIST_PLACE",
    "booking_cancelled_notify",
    "booking_moved_notify",
    "booking_notifications_schedule",
    "day_cancellation_notify",
    "day_cancelled_notify_everyone",
    "day_message_notify",
    "day_notifications_reschedule",
    "day_reminder_due_at",
    "day_reminders_schedule",
    "message_kind",
    "offset_slot",
    "surgeon_withdrawal_notify",
]
