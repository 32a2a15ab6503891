"""Reads about notifications: what organisers see, and what a person chose."""

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Min, Model, Q, QuerySet

from outbox.models import Notification, NotificationPreference, SweepHeartbeat
from outbox.registry import get_kind, registered_kinds
from people.models import User

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


@dataclass(frozen=True)
class OutboxBacklog:
    oldest_due_seconds: int
    failed: int


def outbox_backlog(*, now: datetime) -> OutboxBacklog:
    """How late the oldest due, unclaimed notification is (0 if none), and how many
    notifications have failed in all, in one query."""
    totals = Notification.objects.aggregate(
        oldest_due=Min("due_at", filter=Q(state=Notification.State.PENDING, due_at__lte=now)),
        failed=Count("id", filter=Q(state=Notification.State.FAILED)),
    )
    oldest = totals["oldest_due"]
    late = max(0, int((now - oldest).total_seconds())) if oldest else 0
    return OutboxBacklog(oldest_due_seconds=late, failed=totals["failed"])


def notification_counts_by_state() -> dict[str, int]:
    """Every state with its number of notifications (zero included), in one query."""
    counts = dict(Notification.objects.order_by().values_list("state").annotate(total=Count("id")))
    return {state: counts.get(state, 0) for state in Notification.State.values}


def last_sweep_at() -> datetime | None:
    return SweepHeartbeat.objects.filter(id=SweepHeartbeat.ROW_ID).values_list("swept_at", flat=True).first()
