"""Messages about one booking: confirmation, the surgeon's notice, reminders,
cancellation notices and the feedback request.

Each kind is checked again just before sending (`is_live`), so a booking cancelled
after its reminder was claimed gets no reminder. What a message says about the
other person comes from `people.visibility`, never straight from their profile.

The notification `slot` tells apart several messages of one kind about one
booking ("1440m-before", "120m-before") and, for one-off notices, which variant
to say: "moved" (the learner moved their session), "by-learner" or
"by-organiser" (who cancelled).
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from outbox.models import Notification
from outbox.registry import (
    NOTICE_SEND_WITHIN,
    REMINDER_SEND_WITHIN,
    Attachment,
    NotificationKind,
)
from outbox.scheduling import local_time_on
from people.models import AuditEntry, User
from people.services import audit_record_many
from people.visibility import VisibleProfile, visible_profile
from surgeries.calendar import bookings_to_ics
from surgeries.models import Booking, SurgeryDay
from surgeries.notifications.wording import reminder_wording_for
from surgeries.selectors.video import session_video

BOOKING_CONFIRMED = "surgeries.booking_confirmed"
WAITING_LIST_PLACE = "surgeries.waiting_list_place"
BOOKING_RECEIVED = "surgeries.booking_received"
BOOKING_CANCELLED = "surgeries.booking_cancelled"
SESSION_REMINDER = "surgeries.session_reminder"
FEEDBACK_REQUEST = "surgeries.feedback_request"
SURGEON_WITHDREW = "surgeries.surgeon_withdrew"

MOVED = "moved"
BY_LEARNER = "by-learner"
BY_ORGANISER = "by-organiser"
DAY_AFTER = "day-after"
# What happened to a learner whose surgeon withdrew: moved to another session, waiting,
# or neither (the waiting list refused them, as it refuses someone blocked since booking).
REBOOKED = "rebooked"
ON_WAITING_LIST = "waiting-list"
NO_PLACE = "no-place"
FEEDBACK_AT = time(10, 0)

# A reminder whose time passed this long ago is not worth sending any more; a
# shorter delay is the sweep catching up and the reminder still goes.
LATE_GRACE = timedelta(minutes=15)


def offset_slot(minutes: int) -> str:
    return f"{minutes}m-before"


def offset_minutes(slot: str) -> int | None:
    number, _, rest = slot.partition("m-")
    return int(number) if rest == "before" and number.isdigit() else None


def reminder_due_at(*, day: SurgeryDay, starts_at: datetime, slot: str, not_before: datetime) -> datetime | None:
    """`minutes` of elapsed time before `starts_at`, or None if the day no longer
    asks for that reminder or it would fall before `not_before` (less the grace).

    Elapsed time, not wall-clock: "24 hours before" a session just after a clock
    change is 23 or 25 hours by the clock. The email says the session's local time.
    """
    minutes = offset_minutes(slot)
    if minutes is None or minutes not in day.reminder_offsets_minutes:
        return None
    due = starts_at - timedelta(minutes=minutes)
    if due < not_before or due < timezone.now() - LATE_GRACE:
        return None
    return due


def session_reminder_due_at(booking: Booking, slot: str) -> datetime | None:
    # A reminder due before the booking was made would only repeat the confirmation.
    return reminder_due_at(day=booking.day, starts_at=booking.slot.starts_at, slot=slot, not_before=booking.created_at)


def feedback_due_at(booking: Booking, slot: str) -> datetime | None:
    """10:00 at the venue on the day after the session."""
    if slot != DAY_AFTER:
        return None
    return local_time_on(booking.slot.starts_at, zone=booking.day.venue.time_zone, days=1, at=FEEDBACK_AT)


# --- liveness -------------------------------------------------------------------


def _is_booked(booking: Booking) -> bool:
    return booking.status == Booking.Status.ACTIVE and booking.day.status == SurgeryDay.Status.PUBLISHED


def _is_upcoming(booking: Booking) -> bool:
    return _is_booked(booking) and booking.slot.starts_at > timezone.now()


def _was_cancelled(booking: Booking) -> bool:
    # A day cancelled meanwhile sends its own notice instead.
    return booking.status == Booking.Status.CANCELLED and booking.day.status != SurgeryDay.Status.CANCELLED


def _day_goes_ahead(booking: Booking) -> bool:
    # The surgeon-withdrew notice is about the new booking or the cancelled one; a
    # day cancelled meanwhile sends its own notice instead.
    return booking.day.status == SurgeryDay.Status.PUBLISHED


# --- what the emails say ----------------------------------------------------------

# The special-category fields our templates can show about another person.
SHOWN_IN_EMAILS = frozenset({"access_needs"})


def audit_shown(*, recipient: User, profiles: list[VisibleProfile]) -> None:
    """Record that the recipient was shown someone's access needs, as a page view would.

    Runs when the message is rendered, just before it is sent; a retried send may
    record the view twice, which errs on the side of the person whose data it is.
    """
    fields = {p.person_id: sorted(SHOWN_IN_EMAILS & set(p.shown)) for p in profiles if p.person_id != recipient.pk}
    audit_record_many(actor=recipient, action=AuditEntry.Action.VIEWED, fields_by_subject=fields)


def booking_context(notification: Notification, booking: Booking, recipient: User) -> dict:
    day = booking.day
    is_learner = recipient.pk == booking.learner_id
    other = visible_profile(viewer=recipient, person=booking.surgeon if is_learner else booking.learner)
    if notification.kind == BOOKING_RECEIVED:
        audit_shown(recipient=recipient, profiles=[other])
    return {
        "booking": booking,
        "day": day,
        "venue": day.venue,
        "zone": day.venue.time_zone,
        "slot": booking.slot,
        "is_learner": is_learner,
        "other": other,  # only what the recipient may see of them
        "topics": [topic.name for topic in booking.topics.all()],
        "variant": notification.slot,
        "promoted": notification.kind == WAITING_LIST_PLACE,
        "my_bookings_url": settings.SITE_URL + reverse("surgeries:my_bookings"),
        "wording": reminder_wording_for(day=day, kind=notification.kind),
        # Worked out as the message is rendered, just before it is sent. A reminder sent
        # before the link's time (the 24-hour one, usually) says where the link will be
        # instead: an email cannot hide its link until the time, stays in the inbox and
        # is easily forwarded, and My bookings always has the latest link if it changes.
        "video": session_video(booking=booking, viewer_id=recipient.pk, now=timezone.now()),
    }


def booking_ics(notification: Notification, booking: Booking, recipient: User) -> list[Attachment]:
    return [("surgery-session.ics", bookings_to_ics([booking], viewer_id=recipient.pk), "text/calendar")]


def rebooked_ics(notification: Notification, booking: Booking, recipient: User) -> list[Attachment]:
    return booking_ics(notification, booking, recipient) if notification.slot == REBOOKED else []


BOOKING_KINDS = (
    NotificationKind(
        name=BOOKING_CONFIRMED,
        label="Booking confirmation",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="booking_confirmed",
        build_context=booking_context,
        is_live=_is_booked,
        attachments=booking_ics,
    ),
    # Same message as a confirmation, opening with "you now have a place".
    NotificationKind(
        name=WAITING_LIST_PLACE,
        label="Place from the waiting list",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="booking_confirmed",
        build_context=booking_context,
        is_live=_is_booked,
        attachments=booking_ics,
    ),
    NotificationKind(
        name=BOOKING_RECEIVED,
        label="New booking (to the surgeon)",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="booking_received",
        build_context=booking_context,
        is_live=_is_booked,
    ),
    NotificationKind(
        name=BOOKING_CANCELLED,
        label="Booking cancelled (to the other person)",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="booking_cancelled",
        build_context=booking_context,
        is_live=_was_cancelled,
    ),
    NotificationKind(
        name=SESSION_REMINDER,
        label="Session reminder",
        essential=False,
        send_within=REMINDER_SEND_WITHIN,
        template="session_reminder",
        build_context=booking_context,
        is_live=_is_upcoming,
        due_at=session_reminder_due_at,
    ),
    # To a learner whose surgeon withdrew. About the new booking when they were moved
    # (with its .ics), about the cancelled one when they were put on the waiting list.
    NotificationKind(
        name=SURGEON_WITHDREW,
        label="Surgeon cannot come (to the learner)",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="surgeon_withdrew",
        build_context=booking_context,
        is_live=_day_goes_ahead,
        attachments=rebooked_ics,
    ),
)
