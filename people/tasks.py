"""People's background jobs: thin wrappers that take ids and call a service.

A leaf: nothing imports it (PeopleConfig.ready() only loads it, so the jobs are
registered); the services queue its jobs by name.
"""

import logging

from celery import shared_task

from people import services

logger = logging.getLogger(__name__)


@shared_task(name=services.SEND_EMAIL_CONFIRMATION_TASK)
def send_email_confirmation(*, email_address_id: int, signup: bool) -> None:
    services.email_confirmation_send(email_address_id=email_address_id, signup=signup)


@shared_task(name=services.SEND_INVITATION_TASK)
def send_invitation(*, invitation_id: int, token: str) -> None:
    services.invitation_send(invitation_id=invitation_id, token=token)


@shared_task(name="people.audit_retention")
def audit_retention() -> int:
    deleted = services.audit_entries_purge()
    logger.info("Audit retention: %s entries deleted", deleted)
    return deleted
