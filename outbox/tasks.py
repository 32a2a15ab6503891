"""Celery tasks for notifications: thin wrappers that take ids and call the real code.

Queues (settings.CELERY_TASK_ROUTES, docs/reminders.md): the sweep has its own, so it
never waits behind thousands of sends; first attempts of essential messages go to
URGENT_QUEUE, ahead of any backlog of reminders; retries go to RETRY_QUEUE, so a slow
mail server's retries cannot starve fresh messages.
"""

import logging
import uuid

from celery import shared_task

from outbox.delivery import notification_deliver
from outbox.models import Notification
from outbox.registry import UnknownNotificationKind, get_kind
from outbox.sweep import sweep_due

logger = logging.getLogger(__name__)

URGENT_QUEUE = "notifications-urgent"
FIRST_ATTEMPT_QUEUE = "notifications"
RETRY_QUEUE = "notifications-retry"


def send_queue(*, kind: str) -> str:
    """The queue for a first attempt: essential messages (confirmations, cancellations) go first."""
    try:
        essential = get_kind(kind).essential
    except UnknownNotificationKind:
        essential = False
    return URGENT_QUEUE if essential else FIRST_ATTEMPT_QUEUE


def queue_sends(ids: list[int], token: uuid.UUID) -> None:
    """Queue one send task per claimed row (the Celery path), essential ones on their own queue."""
    kinds = dict(Notification.objects.filter(id__in=ids).values_list("id", "kind"))
    for notification_id in ids:
        try:
            send_notification.apply_async(
                kwargs={"notification_id": notification_id, "claim_token": str(token)},
                queue=send_queue(kind=kinds.get(notification_id, "")),
            )
        except Exception:
            # The broker is away. The rows stay claimed; their lease lapses and a
            # later sweep claims them again, so stop here rather than fail slowly.
            logger.exception("Could not queue notification %s; it will be swept again.", notification_id)
            return


# The task names are the ones from before the outbox was its own app: the beat
# schedule, CELERY_TASK_ROUTES and messages already queued refer to them.
@shared_task(name="people.notifications.sweep", ignore_result=True)
def sweep_notifications() -> int:
    """Run by beat every NOTIFICATION_SWEEP_SECONDS (see config/celery.py)."""
    return sweep_due(dispatch=queue_sends)


def sweep_soon() -> None:
    """Ask for a sweep now, so a confirmation does not wait for the next beat tick.

    Pass it to `transaction.on_commit` after scheduling messages that should go at
    once. Only a nudge: if the broker is away the periodic sweep still finds the rows.
    """
    try:
        sweep_notifications.delay()
    except Exception:
        logger.warning("Could not queue an early notification sweep; the periodic sweep will send.")


@shared_task(bind=True, name="people.notifications.send", ignore_result=True, max_retries=None)
def send_notification(self, *, notification_id: int, claim_token: str) -> str:
    outcome = notification_deliver(notification_id=notification_id, claim_token=uuid.UUID(claim_token))
    # Run in-process there is no worker to come back later: the row's claim lapses
    # at the retry time instead, and the next sweep picks it up.
    if outcome.status == "retry" and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in, queue=RETRY_QUEUE)
    return outcome.status
