"""Celery tasks for notifications: thin wrappers that take ids and call the real code.

Queues (settings.CELERY_TASK_ROUTES, docs/reminders.md): the sweep has its own, so it
never waits behind thousands of sends; first attempts of essential messages go to
URGENT_QUEUE, ahead of any backlog of reminders; retries go to RETRY_QUEUE, so a slow
mail server's retries cannot starve fresh messages.
"""

import uuid

from celery import shared_task

from people.notifications.delivery import notification_deliver
from people.notifications.registry import UnknownNotificationKind, get_kind
from people.notifications.sweep import queue_sends, sweep_due

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


@shared_task(name="people.notifications.sweep", ignore_result=True)
def sweep_notifications() -> int:
    """Run by beat every NOTIFICATION_SWEEP_SECONDS (see config/celery.py)."""
    return sweep_due(dispatch=queue_sends)


@shared_task(bind=True, name="people.notifications.send", ignore_result=True, max_retries=None)
def send_notification(self, *, notification_id: int, claim_token: str) -> str:
    outcome = notification_deliver(notification_id=notification_id, claim_token=uuid.UUID(claim_token))
    # Run in-process there is no worker to come back later: the row's claim lapses
    # at the retry time instead, and the next sweep picks it up.
    if outcome.status == "retry" and not self.request.is_eager:
        raise self.retry(countdown=outcome.retry_in, queue=RETRY_QUEUE)
    return outcome.status
