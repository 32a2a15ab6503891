"""The sweep: find due notifications, claim them, hand each to a sender."""

import logging
import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from outbox.delivery import notification_deliver
from outbox.models import Notification
from outbox.registry import registered_kinds
from outbox.services import sweep_heartbeat_record

logger = logging.getLogger(__name__)

# Called after the claim commits, with the claimed ids and the claim's token.
Dispatch = Callable[[list[int], uuid.UUID], None]

BATCH_SIZE = 200
# One sweep drains at most this many batches, so a huge backlog cannot keep one
# sweep (and its beat tick) busy for ever; the next tick carries on.
MAX_BATCHES = 10


def due_filter(*, now: datetime) -> Q:
    """Pending rows whose time has come, and claimed rows whose claim has lapsed
    (their sender died, or its queue message was lost)."""
    return Q(state=Notification.State.PENDING, due_at__lte=now) | Q(
        state=Notification.State.SENDING, claimed_until__lt=now
    )


def essential_first() -> Case:
    """Sort key: essential kinds before the rest, so a fresh confirmation is claimed
    ahead of a backlog of reminders that is larger than one sweep takes."""
    essential = [name for name, kind in registered_kinds().items() if kind.essential]
    return Case(When(kind__in=essential, then=Value(0)), default=Value(1), output_field=IntegerField())


def sweep_due(*, dispatch: Dispatch, now: datetime | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Claim every due notification and dispatch it. Returns how many were claimed.

    1. In a short transaction, select up to `batch_size` due rows (see `due_filter`)
       with FOR UPDATE SKIP LOCKED, essential kinds first, then oldest first. Rows another sweep is claiming at
       this moment are locked, so they are skipped rather than claimed twice.
    2. Mark those rows `sending`, with a fresh claim token and a lease
       (`claimed_until` = now + NOTIFICATION_LEASE_SECONDS), and commit.
    3. Only after the commit, hand the ids and the token to `dispatch` (normally
       `outbox.tasks.queue_sends`: one Celery task per row; this module never
       imports the tasks, which sit above it). If queueing fails or a worker dies, nothing
       is lost: the lease lapses and step 1 finds the row again.
    4. Repeat while full batches keep coming, up to MAX_BATCHES.

    The sender owns the row only while its token matches, so a row reclaimed after a
    lapsed lease can never be sent by both the old and the new claim
    (see `outbox.delivery`).
    """
    total = 0
    for _ in range(MAX_BATCHES):
        claimed = _claim_batch(dispatch=dispatch, now=now or timezone.now(), batch_size=batch_size)
        total += claimed
        if claimed < batch_size:
            break
    # Wall-clock time, not `now`: /healthz asks whether sweeps are still happening.
    sweep_heartbeat_record(at=timezone.now())
    if total:
        logger.info("Notification sweep claimed %s row(s).", total)
    return total


def _claim_batch(*, dispatch: Dispatch, now: datetime, batch_size: int) -> int:
    token = uuid.uuid4()
    with transaction.atomic():
        ids = list(
            Notification.objects.select_for_update(skip_locked=True)
            .filter(due_filter(now=now))
            .order_by(essential_first(), "due_at", "id")
            .values_list("id", flat=True)[:batch_size]
        )
        if not ids:
            return 0
        Notification.objects.filter(id__in=ids).update(
            state=Notification.State.SENDING,
            claim_token=token,
            claimed_until=now + timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS),
        )
        transaction.on_commit(lambda: dispatch(ids, token))
    return len(ids)


def send_inline(ids: list[int], token: uuid.UUID) -> None:
    """Send each claimed row in this process (the embedded scheduler and cron path)."""
    for notification_id in ids:
        notification_deliver(notification_id=notification_id, claim_token=token)
