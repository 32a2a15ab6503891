"""The feedback request: the morning after a day, each learner is asked how their session went.

The booking services schedule the request when a booking is made (see
`surgeries.notifications.scheduling`); a periodic job (`feedback_requests_schedule`)
also writes it for any booking of a recently ended day, as a safety net. Both use
the same slot, so the outbox's unique key (kind, recipient, subject, slot) means a
learner is never asked twice.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from outbox.registry import NotificationKind, register_kind
from outbox.services import notification_schedule
from surgeries.models import Booking, Feedback, SurgeryDay
from surgeries.notifications.bookings import DAY_AFTER, FEEDBACK_REQUEST, feedback_due_at

# Days that ended longer ago than this are not asked about any more.
ASK_WITHIN = timedelta(days=3)


def _still_wanted(booking: Booking) -> bool:
    """Only learners who came to a day that took place, and have not answered yet."""
    return (
        booking.is_active
        and not booking.is_no_show
        and booking.day.status in SurgeryDay.HELD_STATUSES
        and not Feedback.objects.filter(booking=booking, author_id=booking.learner_id).exists()
    )


def _context(notification, booking: Booking, recipient) -> dict:
    return {
        "day": booking.day,
        "surgeon_name": booking.surgeon.display_name,
        "zone": booking.day.venue.time_zone,
        "starts_at": booking.slot.starts_at,
        "feedback_url": settings.SITE_URL + reverse("afterday:session_feedback", args=[booking.pk]),
    }


def register() -> None:
    register_kind(
        NotificationKind(
            name=FEEDBACK_REQUEST,
            label="Feedback request",
            essential=False,
            # Asking about a day long past (after an outage, say) would only puzzle people.
            send_within=ASK_WITHIN,
            template="feedback_request",
            build_context=_context,
            is_live=_still_wanted,
            due_at=feedback_due_at,
        )
    )


@transaction.atomic
def feedback_requests_schedule(*, now: datetime | None = None) -> int:
    """Ask every learner of a recently ended day once. Returns how many requests were written."""
    now = now or timezone.now()
    bookings = Booking.objects.filter(
        status=Booking.Status.ACTIVE,
        day__ends_at__lte=now,
        day__ends_at__gt=now - ASK_WITHIN,
        day__status__in=SurgeryDay.HELD_STATUSES,
        is_no_show=False,
    ).select_related("day__venue", "learner")
    count = 0
    for booking in bookings:
        if notification_schedule(
            kind=FEEDBACK_REQUEST, recipient=booking.learner, subject=booking, scope=booking.day, slot=DAY_AFTER
        ):
            count += 1
    return count
