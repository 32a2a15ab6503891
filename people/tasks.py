import logging

from celery import shared_task

from people import services

logger = logging.getLogger(__name__)


@shared_task(name="people.send_email_confirmation")
def send_email_confirmation(*, email_address_id: int, signup: bool) -> None:
    services.email_confirmation_send(email_address_id=email_address_id, signup=signup)


@shared_task(name="people.send_invitation")
def send_invitation(*, invitation_id: int, token: str) -> None:
    services.invitation_send(invitation_id=invitation_id, token=token)


@shared_task(name="people.audit_retention")
def audit_retention() -> int:
    deleted = services.audit_entries_purge()
    logger.info("Audit retention: %s entries deleted", deleted)
    return deleted
