"""Messages about a whole surgery day: the day reminder and the day-cancelled notice."""

from collections.abc import Iterable
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from outbox.models import Notification
from outbox.registry import NOTICE_SEND_WITHIN, REMINDER_SEND_WITHIN, NotificationKind
from outbox.scheduling import local_time_on
from outbox.services import notification_schedule, notifications_cancel_for
from people.models import User
from surgeries.models import SurgeryDay
from surgeries.notifications.wording import reminder_wording_for

DAY_REMINDER = "surgeries.day_reminder"
DAY_CANCELLED = "surgeries.day_cancelled"

# Reminder slots: the evening before at this wall-clock time at the venue, and an hour before.
EVENING_BEFORE = "evening-before"
HOUR_BEFORE = "hour-before"
EVENING_REMINDER_AT = time(18, 0)


def day_reminder_due_at(day: SurgeryDay, slot: str) -> datetime | None:
    """When a reminder about `day` is due, in UTC.

    The evening-before reminder is computed on the venue's calendar, so it stays at
    18:00 local time even when the clocks change between that evening and the day.
    """
    if slot == EVENING_BEFORE:
        return local_time_on(day.starts_at, zone=day.venue.time_zone, days=-1, at=EVENING_REMINDER_AT)
    if slot == HOUR_BEFORE:
        return day.starts_at - timedelta(hours=1)
    return None


def _day_is_open(day: SurgeryDay) -> bool:
    return day.status == SurgeryDay.Status.PUBLISHED and day.starts_at > timezone.now()


def _day_is_cancelled(day: SurgeryDay) -> bool:
    return day.status == SurgeryDay.Status.CANCELLED


def _day_context(notification: Notification, day: SurgeryDay, recipient: User) -> dict:
    return {
        "day": day,
        "venue": day.venue,
        "zone": day.venue.time_zone,
        "organisation": day.organisation,
        "wording": reminder_wording_for(day=day, kind=notification.kind),
    }


DAY_KINDS = (
    NotificationKind(
        name=DAY_REMINDER,
        label="Day reminder",
        essential=False,
        send_within=REMINDER_SEND_WITHIN,
        template="day_reminder",
        build_context=_day_context,
        is_live=_day_is_open,
        due_at=day_reminder_due_at,
    ),
    NotificationKind(
        name=DAY_CANCELLED,
        label="Day cancelled",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="day_cancelled",
        build_context=_day_context,
        # Sent only while the day stays cancelled: a day restored meanwhile gets no notice.
        is_live=_day_is_cancelled,
    ),
)


@transaction.atomic
def day_reminders_schedule(
    *, day: SurgeryDay, recipients: Iterable[User], slots: Iterable[str] = (EVENING_BEFORE,)
) -> list[Notification]:
    """Remind each recipient about the day. Call it in the transaction that adds them."""
    scheduled = []
    for recipient in recipients:
        for slot in slots:
            row = notification_schedule(kind=DAY_REMINDER, recipient=recipient, subject=day, slot=slot)
            if row is not None:
                scheduled.append(row)
    return scheduled


@transaction.atomic
def day_cancellation_notify(*, day: SurgeryDay, recipients: Iterable[User]) -> int:
    """Stop the day's reminders and tell each recipient at once that it is cancelled.

    Call it in the transaction that sets the day's status to cancelled.
    """
    notifications_cancel_for(subject=day, kinds=[DAY_REMINDER], reason="day cancelled")
    now = timezone.now()
    count = 0
    for recipient in recipients:
        notification_schedule(kind=DAY_CANCELLED, recipient=recipient, subject=day, due_at=now)
        count += 1
    return count
