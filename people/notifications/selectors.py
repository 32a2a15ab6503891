"""Reads about notifications: what organisers see, and what a person chose."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Model, QuerySet

from people.models import User
from people.notifications.models import Notification, NotificationPreference
from people.notifications.registry import get_kind, registered_kinds

# An organiser page lists failures for follow-up; past this many, counts say the rest.
FAILURES_SHOWN = 100


@dataclass(frozen=True)
class FailedNotification:
    kind_label: str
    recipient_name: str
    due_at: datetime
    attempts: int
    reason: str


@dataclass(frozen=True)
class NotificationSummary:
    pending: int = 0
    sending: int = 0
    sent: int = 0
    failed: int = 0
    cancelled: int = 0
    failures: list[FailedNotification] = field(default_factory=list)


def notification_summary_for(*, scope: Model) -> NotificationSummary:
    """Counts by state and the failed rows' short reasons (never bodies), in two queries."""
    rows = Notification.objects.filter(scope_type=ContentType.objects.get_for_model(scope), scope_id=scope.pk)
    counts = {row["state"]: row["total"] for row in rows.order_by().values("state").annotate(total=Count("id"))}
    failed = (
        rows.filter(state=Notification.State.FAILED)
        .select_related("recipient")
        .only("kind", "due_at", "attempts", "last_error", "recipient__display_name")
        .order_by("due_at", "id")[:FAILURES_SHOWN]
    )
    failures = [
        FailedNotification(
            kind_label=kind_label(row.kind),
            recipient_name=row.recipient.display_name,
            due_at=row.due_at,
            attempts=row.attempts,
            reason=row.last_error,
        )
        for row in failed
    ]
    by_state = {state: counts.get(state, 0) for state in Notification.State.values}
    return NotificationSummary(**by_state, failures=failures)


def kind_label(name: str) -> str:
    kind = registered_kinds().get(name)
    return (kind.label if kind else "") or name


def notifications_about(*, subject: Model) -> QuerySet[Notification]:
    return Notification.objects.filter(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


def non_essential_enabled(*, person: User) -> bool:
    preference = NotificationPreference.objects.filter(person=person).first()
    return preference is None or preference.non_essential_enabled


def kind_is_essential(*, name: str) -> bool:
    return get_kind(name).essential
