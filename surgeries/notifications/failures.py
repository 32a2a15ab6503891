"""The failure digest: when messages about a day cannot be sent, its organisers are told.

Without it, failures were only seen by an organiser who happened to open the day's
notifications page. The digest gives counts by kind and a link to that page, never
a body, a recipient or anything they wrote.

One digest row per organiser and date (slot `failures-<YYYY-MM-DD>`): a burst of
failures (an SMTP outage) waits DIGEST_DELAY and goes as one message; failures after
a digest was sent wait for the next day's. A digest that fails itself reports
nothing, so it cannot feed on itself.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from outbox.models import Notification
from outbox.registry import NotificationKind
from outbox.selectors import kind_label
from outbox.services import notification_schedule
from people.models import User
from people.selectors import organisers_of
from surgeries.models import SurgeryDay

FAILURE_DIGEST = "surgeries.failure_digest"
# Failures close together (a mail outage) are gathered into one digest.
DIGEST_DELAY = timedelta(minutes=10)
DIGEST_EVERY = timedelta(days=1)


def _failed_on(day: SurgeryDay):
    return Notification.objects.filter(
        scope_type=ContentType.objects.get_for_model(SurgeryDay), scope_id=day.pk, state=Notification.State.FAILED
    ).exclude(kind=FAILURE_DIGEST)


def _has_failures(day: SurgeryDay) -> bool:
    return _failed_on(day).exists()


def _digest_context(notification: Notification, day: SurgeryDay, recipient: User) -> dict:
    counts = _failed_on(day).order_by().values("kind").annotate(total=Count("id"))
    by_kind = sorted((kind_label(row["kind"]), row["total"]) for row in counts)
    return {
        "day": day,
        "zone": day.venue.time_zone,
        "by_kind": by_kind,
        "total": sum(total for _, total in by_kind),
        "page_url": settings.SITE_URL + reverse("day_notifications", kwargs={"day_id": day.pk}),
    }


def _next_digest_due(*, day: SurgeryDay, organiser: User, now: datetime) -> datetime | None:
    """When this organiser's next digest about the day may go, or None if one is already waiting."""
    digests = Notification.objects.filter(
        kind=FAILURE_DIGEST,
        recipient=organiser,
        subject_type=ContentType.objects.get_for_model(SurgeryDay),
        subject_id=day.pk,
    ).exclude(state=Notification.State.CANCELLED)
    if digests.filter(state=Notification.State.PENDING).exists():
        return None  # it counts this failure too when it goes
    due = now + DIGEST_DELAY
    last = digests.order_by("-due_at").values_list("due_at", flat=True).first()
    if last is not None:
        due = max(due, last + DIGEST_EVERY)
    return due


@transaction.atomic
def failure_digest_schedule(notification: Notification) -> None:
    """Called when `notification` has just been marked failed."""
    if notification.kind == FAILURE_DIGEST:
        return
    if notification.scope_type_id != ContentType.objects.get_for_model(SurgeryDay).pk:
        return
    day = SurgeryDay.objects.select_related("organisation").filter(pk=notification.scope_id).first()
    if day is None:
        return
    now = timezone.now()
    for organiser in organisers_of(organisation=day.organisation):
        due = _next_digest_due(day=day, organiser=organiser, now=now)
        if due is not None:
            slot = f"failures-{due:%Y-%m-%d}"
            notification_schedule(kind=FAILURE_DIGEST, recipient=organiser, subject=day, due_at=due, slot=slot)


FAILURE_KINDS = (
    NotificationKind(
        name=FAILURE_DIGEST,
        label="Failed messages digest (to the organisers)",
        # Organisers need it to follow up, whatever they chose about reminders.
        essential=True,
        send_within=DIGEST_EVERY,
        template="failure_digest",
        build_context=_digest_context,
        is_live=_has_failures,
    ),
)
