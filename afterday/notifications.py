"""Feedback requests: the morning after a day, each learner is asked how their session
went, and each workshop participant who came, in one message, how useful their
workshops were.

Sessions: the booking services schedule the request when a booking is made (see
`surgeries.notifications.scheduling`); the periodic job also writes it for any
booking of a recently ended day, as a safety net. Both use the same slot, so the
outbox's unique key (kind, recipient, subject, slot) means a learner is never
asked twice.

Workshops: the periodic job writes one request per person and day. Its subject is
the person's first place of that day, so the same unique key means running the
job again never asks twice. The message lists every workshop of the day the
person has not rated yet, checked again just before it is sent.

One hourly job (`feedback_requests_schedule`) writes both kinds; the outbox reads
them from `KINDS` at the end.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from afterday import workshops
from afterday.models import Feedback
from outbox.registry import NotificationKind
from outbox.scheduling import local_time_on
from outbox.services import notification_schedule
from surgeries.models import Booking, SurgeryDay
from surgeries.notifications.bookings import DAY_AFTER, FEEDBACK_AT, FEEDBACK_REQUEST, feedback_due_at
from workshops.models import Registration, Workshop

WORKSHOP_FEEDBACK_REQUEST = "workshops.feedback_request"

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


@transaction.atomic
def session_feedback_requests_schedule(*, now: datetime | None = None) -> int:
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


# --- Workshops ------------------------------------------------------------------------


def _workshop_places_that_day(registration: Registration):
    """The person's places that day in workshops that went ahead and that they came to."""
    return (
        workshops.held_places()
        .filter(person_id=registration.person_id, workshop__day_id=registration.workshop.day_id)
        .filter(workshop__day__status__in=SurgeryDay.HELD_STATUSES)
        .select_related("workshop")
        .order_by("workshop__starts_at", "id")
    )


def _workshop_unrated(registration: Registration) -> list[Registration]:
    return list(_workshop_places_that_day(registration).filter(feedback__isnull=True))


def _workshop_still_wanted(registration: Registration) -> bool:
    """Only while the person came to a workshop that day and has one left to rate."""
    return bool(_workshop_unrated(registration))


def workshop_feedback_due_at(registration: Registration, slot: str) -> datetime | None:
    """10:00 at the venue on the day after the workshops' day ended."""
    if slot != DAY_AFTER:
        return None
    day = registration.workshop.day
    return local_time_on(day.ends_at, zone=day.venue.time_zone, days=1, at=FEEDBACK_AT)


def _workshop_context(notification, registration: Registration, recipient) -> dict:
    day = registration.workshop.day
    return {
        "day": day,
        "zone": day.venue.time_zone,
        "workshops": [
            {
                "title": place.workshop.title,
                "starts_at": place.workshop.starts_at,
                "feedback_url": settings.SITE_URL
                + reverse("workshops:workshop_feedback", kwargs={"registration_id": place.pk}),
            }
            for place in _workshop_unrated(registration)
        ],
    }


@transaction.atomic
def workshop_feedback_requests_schedule(*, now: datetime | None = None) -> int:
    """Ask each participant of a recently ended day once. Returns how many requests were written.

    The request's subject is the person's first active place that day whether or
    not they came, so a "did not come" mark added later cannot make the next run
    pick another place and write a second request. Only people who came to at
    least one workshop are asked; the message checks again just before it goes.
    """
    now = now or timezone.now()
    places = (
        Registration.objects.filter(status=Registration.Status.ACTIVE, workshop__status=Workshop.Status.ACTIVE)
        .filter(workshop__day__ends_at__lte=now, workshop__day__ends_at__gt=now - ASK_WITHIN)
        .filter(workshop__day__status__in=SurgeryDay.HELD_STATUSES)
        .select_related("workshop__day__venue", "person")
        .order_by("workshop__starts_at", "id")
    )
    first_place: dict[tuple[int, int], Registration] = {}
    came: set[tuple[int, int]] = set()
    for place in places:
        key = (place.person_id, place.workshop.day_id)
        first_place.setdefault(key, place)
        if not place.is_no_show:
            came.add(key)
    written = 0
    for key, place in first_place.items():
        if key in came and notification_schedule(
            kind=WORKSHOP_FEEDBACK_REQUEST,
            recipient=place.person,
            subject=place,
            scope=place.workshop.day,
            slot=DAY_AFTER,
        ):
            written += 1
    return written


@transaction.atomic
def feedback_requests_schedule(*, now: datetime | None = None) -> int:
    """The hourly job: ask learners and workshop participants of recently ended days
    once each. Returns how many requests were written."""
    now = now or timezone.now()
    return session_feedback_requests_schedule(now=now) + workshop_feedback_requests_schedule(now=now)


KINDS = (
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
    ),
    NotificationKind(
        name=WORKSHOP_FEEDBACK_REQUEST,
        label="Workshop feedback request",
        essential=False,
        send_within=ASK_WITHIN,
        template="workshop_feedback_request",
        build_context=_workshop_context,
        is_live=_workshop_still_wanted,
        due_at=workshop_feedback_due_at,
    ),
)
