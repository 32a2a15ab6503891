"""Writes to the outbox, meant to be called inside the business transaction.

Schedule the confirmation in the same `transaction.atomic` block that creates the
booking; cancel a booking's rows in the block that cancels it. Then a rolled-back
change leaves nothing to send, and a committed one can never be forgotten.
"""

import logging
from collections.abc import Iterable
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.db.models import Model, Q
from django.utils import timezone

from outbox.models import Notification, NotificationPreference, SweepHeartbeat
from outbox.registry import get_kind
from people.models import User

logger = logging.getLogger(__name__)


def _subject_filter(subject: Model) -> Q:
    return Q(subject_type=ContentType.objects.get_for_model(subject), subject_id=subject.pk)


@transaction.atomic
def notification_schedule(
    *,
    kind: str,
    recipient: User,
    subject: Model,
    due_at: datetime | None = None,
    slot: str = "",
    scope: Model | None = None,
) -> Notification | None:
    """Make sure this message will be sent once, at `due_at`.

    `due_at` defaults to what the kind computes from the subject and slot; None from
    the kind means the message is not wanted (for example, a reminder that would be
    due after the event). `scope` is what organisers look at (the surgery day);
    it defaults to the subject. Scheduling the same kind, recipient, subject and slot
    again moves the pending row (or revives a cancelled one) instead of adding a
    second one; a row that is being sent, was sent or failed is left alone.
    """
    get_kind(kind)  # a misspelt kind fails here, in the caller's transaction, not at send time
    due_at = due_at or _computed_due_at(kind=kind, subject=subject, slot=slot)
    if due_at is None:
        return None
    scope = scope or subject
    key = {
        "kind": kind,
        "recipient": recipient,
        "subject_type": ContentType.objects.get_for_model(subject),
        "subject_id": subject.pk,
        "slot": slot,
    }
    existing = Notification.objects.select_for_update().filter(**key).first()
    if existing is None:
        created = _create_once(key=key, due_at=due_at, scope=scope)
        if created is not None:
            return created
        existing = Notification.objects.select_for_update().get(**key)
    if _can_move(existing):
        _move(existing, due_at=due_at)
    return existing


def _move(row: Notification, *, due_at: datetime) -> None:
    row.due_at = due_at
    row.state = Notification.State.PENDING
    row.last_error = ""
    row.claim_token = row.claimed_until = None
    row.full_clean(validate_constraints=False)
    row.save(update_fields=["due_at", "state", "last_error", "claim_token", "claimed_until"])


def _computed_due_at(*, kind: str, subject: Model, slot: str) -> datetime | None:
    hook = get_kind(kind).due_at
    if hook is None:
        raise ValueError(f"{kind!r} computes no due time; pass due_at.")
    return hook(subject, slot)


def _can_move(row: Notification) -> bool:
    """Pending rows can move. A cancelled row can come back only once no sender can
    still hold it: a row cancelled mid-send keeps its lease, and reviving it then
    could send it twice."""
    if row.state == Notification.State.PENDING:
        return True
    if row.state != Notification.State.CANCELLED:
        return False
    return row.claimed_until is None or row.claimed_until <= timezone.now()


def _create_once(*, key: dict, due_at: datetime, scope: Model) -> Notification | None:
    """Insert the row, or return None if a concurrent transaction inserted it first."""
    notification = Notification(
        **key,
        due_at=due_at,
        scope_type=ContentType.objects.get_for_model(scope),
        scope_id=scope.pk,
    )
    # The unique constraint is checked by the database below, under the savepoint.
    notification.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            notification.save(force_insert=True)
    except IntegrityError:
        return None
    return notification


@transaction.atomic
def notifications_cancel_for(*, subject: Model, kinds: Iterable[str] | None = None, reason: str = "") -> int:
    """Stop every unsent message about `subject` (or only those of `kinds`).

    A row already claimed is cancelled too: its sender checks the state again just
    before sending. Returns how many rows were cancelled.
    """
    rows = Notification.objects.filter(
        _subject_filter(subject),
        state__in=[Notification.State.PENDING, Notification.State.SENDING],
    )
    if kinds is not None:
        rows = rows.filter(kind__in=list(kinds))
    return rows.update(state=Notification.State.CANCELLED, last_error=reason[:200])


@transaction.atomic
def notifications_reschedule_for(*, subject: Model) -> int:
    """Recompute due times after the subject moved (a booking changed slot, a day's
    times changed). Each kind's `due_at` hook says when its message is now due;
    None cancels it. Rows already being sent or sent are not touched. Returns how
    many rows changed."""
    changed = 0
    rows = Notification.objects.select_for_update().filter(_subject_filter(subject), state=Notification.State.PENDING)
    for row in rows:
        hook = get_kind(row.kind).due_at
        if hook is None:
            continue
        due_at = hook(subject, row.slot)
        if due_at is None:
            row.state = Notification.State.CANCELLED
            row.last_error = "no longer wanted after the change"
        elif due_at != row.due_at:
            row.due_at = due_at
        else:
            continue
        row.save(update_fields=["due_at", "state", "last_error"])
        changed += 1
    return changed


@transaction.atomic
def notification_preference_set(*, person: User, non_essential_enabled: bool) -> NotificationPreference:
    preference, _ = NotificationPreference.objects.select_for_update().get_or_create(person=person)
    preference.non_essential_enabled = non_essential_enabled
    preference.full_clean()
    preference.save()
    return preference


def sweep_heartbeat_record(*, at: datetime) -> None:
    """Note that a sweep just finished: one UPDATE, and an INSERT only the first time."""
    if not SweepHeartbeat.objects.filter(id=SweepHeartbeat.ROW_ID).update(swept_at=at):
        SweepHeartbeat.objects.update_or_create(id=SweepHeartbeat.ROW_ID, defaults={"swept_at": at})
