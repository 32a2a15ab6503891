"""Celery tasks for notifications: thin wrappers that take ids and call the real code."""

import uuid

from celery import shared_task

from people.notifications.delivery import notification_deliver
from people.notifications.sweep import queue_sends, sweep_due


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
        raise self.retry(countdown=outcome.retry_in)
    return outcome.status
