"""Messages to a surgeon about their whole day: reminders before their first
session and the day sheet the evening before.

The subject is the surgeon's `DaySurgeon` row, not each booking, so a surgeon
with six sessions gets one reminder per offset rather than six. Their due time
follows the first session still booked; when bookings change, the caller
reschedules them and they move (or lapse, once nothing is booked).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from outbox.models import Notification
from outbox.registry import REMINDER_SEND_WITHIN, NotificationKind
from people.models import User
from people.visibility import visible_profiles
from surgeries.models import Booking, DaySurgeon, SurgeryDay
from surgeries.notifications.bookings import LATE_GRACE, audit_shown, offset_minutes, reminder_due_at
from surgeries.notifications.days import EVENING_BEFORE, day_reminder_due_at
from surgeries.notifications.wording import reminder_wording_for

SURGEON_REMINDER = "surgeries.surgeon_reminder"
DAY_SHEET = "surgeries.day_sheet"


def _sessions(day_surgeon: DaySurgeon):
    return (
        Booking.objects.filter(slot__day_surgeon=day_surgeon, status=Booking.Status.ACTIVE)
        .select_related("slot", "learner")
        .prefetch_related("topics")
        .order_by("slot__starts_at")
    )


def surgeon_due_at(day_surgeon: DaySurgeon, slot: str) -> datetime | None:
    """Reminders: before the first session still booked. Day sheet: 18:00 at the
    venue the evening before. None when nothing is booked or the time has passed."""
    # Only the first session's start: no learners or topics (worked out for every surgeon
    # of a batch of bookings when its messages are written).
    sessions = Booking.objects.filter(slot__day_surgeon=day_surgeon, status=Booking.Status.ACTIVE)
    first_starts_at = sessions.order_by("slot__starts_at").values_list("slot__starts_at", flat=True).first()
    if first_starts_at is None:
        return None
    day = day_surgeon.day
    if slot == EVENING_BEFORE:
        due = day_reminder_due_at(day, EVENING_BEFORE)
        return due if due >= timezone.now() - LATE_GRACE else None
    if offset_minutes(slot) is None:
        return None
    return reminder_due_at(day=day, starts_at=first_starts_at, slot=slot, not_before=timezone.now() - LATE_GRACE)


def _has_sessions_ahead(day_surgeon: DaySurgeon) -> bool:
    day = day_surgeon.day
    if day.status != SurgeryDay.Status.PUBLISHED:
        return False
    return _sessions(day_surgeon).filter(slot__starts_at__gt=timezone.now()).exists()


def surgeon_day_context(notification: Notification, day_surgeon: DaySurgeon, recipient: User) -> dict:
    day = day_surgeon.day
    sessions = list(_sessions(day_surgeon))
    # One call for all learners: each shows only what they let this surgeon see.
    learners = visible_profiles(viewer=recipient, people=[booking.learner for booking in sessions])
    if notification.kind == DAY_SHEET:  # the reminder shows no one's profile
        audit_shown(recipient=recipient, profiles=learners)
    rows = [
        {"booking": booking, "learner": learner, "topics": [topic.name for topic in booking.topics.all()]}
        for booking, learner in zip(sessions, learners, strict=True)
    ]
    return {
        "day": day,
        "venue": day.venue,
        "zone": day.venue.time_zone,
        "sessions": rows,
        "first": sessions[0] if sessions else None,
        # On a hybrid day a surgeon marked online meets everyone by video, as on an online day.
        "meets_online": day.sessions_online(surgeon_online=day_surgeon.is_online),
        "day_sheet_url": settings.SITE_URL + reverse("surgeries:day_sheet", args=[day.pk]),
        "wording": reminder_wording_for(day=day, kind=notification.kind),
    }


SURGEON_KINDS = (
    NotificationKind(
        name=SURGEON_REMINDER,
        label="Surgeon reminder",
        essential=False,
        send_within=REMINDER_SEND_WITHIN,
        template="surgeon_reminder",
        build_context=surgeon_day_context,
        is_live=_has_sessions_ahead,
        due_at=surgeon_due_at,
    ),
    NotificationKind(
        name=DAY_SHEET,
        label="Surgeon day sheet",
        essential=False,
        # Written for the evening before; still useful on the morning itself, and its
        # is_live stops it once the surgeon's last session has begun.
        send_within=timedelta(hours=16),
        template="day_sheet",
        build_context=surgeon_day_context,
        is_live=_has_sessions_ahead,
        due_at=surgeon_due_at,
    ),
)
