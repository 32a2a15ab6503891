"""Sending one claimed notification.

Every state change here is a conditional UPDATE on the row's id *and* its claim
token, so a sender whose claim was superseded (its lease lapsed and the sweep
handed the row to someone else) changes nothing and sends nothing. The mail itself
goes out with no transaction open and no row locked.
"""

import logging
import smtplib
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db.models import F
from django.utils import timezone

from outbox.backoff import domain_back_off, domain_wait_seconds, recipient_domain
from outbox.emails import email_render, message_id_for
from outbox.models import Notification
from outbox.registry import UnknownNotificationKind, failure_listeners, get_kind
from outbox.selectors import non_essential_enabled

logger = logging.getLogger(__name__)

State = Notification.State
# No retry waits longer than this: long countdowns sit in worker memory and die with it.
MAX_RETRY_SECONDS = 300


class RecipientDomainSlow(Exception):
    """Mail to the recipient's domain timed out a moment ago: not tried until the back-off ends."""

    def __init__(self, wait: int) -> None:
        super().__init__()
        self.wait = wait


@dataclass(frozen=True)
class Outcome:
    status: str  # "sent", "skipped", "missing", "cancelled", "failed" or "retry"
    retry_in: int = 0


def notification_deliver(*, notification_id: int, claim_token: uuid.UUID, now: datetime | None = None) -> Outcome:
    """Send the notification if this claim still owns it and it is still wanted.

    1. Take the row: a conditional UPDATE that counts the attempt and renews the
       lease, matching id, token and state `sending`. No match: skip (already sent,
       cancelled, or claimed again by a newer sweep).
    2. Re-check what may have changed since scheduling: the kind is known, the
       subject exists and is live, the recipient is active and, for non-essential
       kinds, still wants them. Otherwise cancel with a short reason.
    3. Render and send, outside any lock.
    4. Mark sent (conditional on the token). A permanent SMTP refusal marks it
       failed; a transient error schedules a retry with backoff, or marks it failed
       once the give-up window (or the kind's `send_within`, if sooner) has passed.
    """
    now = now or timezone.now()
    owned = Notification.objects.filter(id=notification_id, claim_token=claim_token, state=State.SENDING)
    if not owned.update(attempts=F("attempts") + 1, claimed_until=now + _lease()):
        if not Notification.objects.filter(id=notification_id).exists():
            # Deleted with its recipient's account, or this process reads another
            # database than the one that claimed it: worth a look either way.
            logger.warning("Notification %s does not exist in this database; nothing sent.", notification_id)
            return Outcome("missing")
        logger.info("Notification %s is no longer ours to send; skipped.", notification_id)
        return Outcome("skipped")
    notification = Notification.objects.select_related("recipient", "subject_type").get(id=notification_id)
    reason = _reason_not_to_send(notification, now=now)
    if reason:
        _finish(notification, claim_token, state=State.CANCELLED, error=reason)
        logger.info("Notification %s cancelled: %s.", notification_id, reason)
        return Outcome("cancelled")
    if notification.attempts > 1 and now >= _give_up_at(notification):
        # Tried before, and its retries ran past the time it may still go: a failure the
        # organisers hear about, not a quiet cancellation.
        return _fail(notification, claim_token, reason=notification.last_error or "too late to send")
    try:
        _send(notification)
    except Exception as error:
        return _after_error(notification, claim_token, error, now=now)
    _mark_sent(notification, claim_token)
    logger.info("Notification %s (%s) sent.", notification_id, notification.kind)
    return Outcome("sent")


def _reason_not_to_send(notification: Notification, *, now: datetime) -> str:
    try:
        kind = get_kind(notification.kind)
    except UnknownNotificationKind:
        return "unknown kind"
    if notification.attempts == 1 and now > notification.due_at + kind.send_within:
        # Never tried before (the scheduler or every worker was away): too late to be of use.
        return "too late to send"
    subject = notification.subject
    if subject is None:
        return "subject no longer exists"
    if not kind.is_live(subject):
        return "subject no longer live"
    recipient = notification.recipient
    if not recipient.is_active or not recipient.email:
        return "recipient account inactive"
    if recipient.email.lower().endswith(".invalid"):
        # Someone an organiser booked without an address: told by the organiser instead.
        return "recipient has no email address"
    if not kind.essential and not non_essential_enabled(person=recipient):
        return "recipient turned off non-essential messages"
    return ""


def _send(notification: Notification) -> None:
    kind = get_kind(notification.kind)
    subject, recipient = notification.subject, notification.recipient
    domain = recipient_domain(recipient.email)
    wait = domain_wait_seconds(domain=domain)
    if wait:
        raise RecipientDomainSlow(wait)
    attachments = kind.attachments(notification, subject, recipient) if kind.attachments else []
    message = email_render(
        template=kind.template,
        context={**kind.build_context(notification, subject, recipient), "recipient": recipient},
        to=[recipient.email],
        headers={"Message-ID": message_id_for(notification_id=notification.pk)},
        attachments=attachments,
    )
    try:
        _send_message(message)
    except TimeoutError:
        domain_back_off(domain=domain)
        raise


def _send_message(message) -> None:
    """Send over a connection with the notification timeout. After an error the socket
    is dropped without the polite QUIT, which a stalled server would make wait a
    second full timeout."""
    connection = get_connection(fail_silently=False, timeout=settings.NOTIFICATION_SMTP_TIMEOUT)
    try:
        connection.open()
        connection.send_messages([message])
    except Exception:
        if isinstance(connection, SMTPBackend) and connection.connection is not None:
            connection.connection.close()
            connection.connection = None
        raise
    connection.close()


def _mark_sent(notification: Notification, claim_token: uuid.UUID) -> None:
    # A cancellation that landed while the mail was on its way cannot unsend it; the
    # row records what really happened.
    Notification.objects.filter(
        id=notification.pk, claim_token=claim_token, state__in=[State.SENDING, State.CANCELLED]
    ).update(state=State.SENT, sent_at=timezone.now(), claimed_until=None, last_error="")


def _finish(notification: Notification, claim_token: uuid.UUID, *, state: str, error: str) -> bool:
    """Whether this claim still owned the row and so finished it."""
    owned = Notification.objects.filter(id=notification.pk, claim_token=claim_token, state=State.SENDING)
    return owned.update(state=state, claimed_until=None, last_error=error[:200]) == 1


def _fail(notification: Notification, claim_token: uuid.UUID, *, reason: str) -> Outcome:
    if _finish(notification, claim_token, state=State.FAILED, error=reason):
        logger.warning("Notification %s failed: %s.", notification.pk, reason)
        _tell_failure_listeners(notification)
    return Outcome("failed")


def _give_up_at(notification: Notification) -> datetime:
    """Retries stop at the give-up window or at the kind's own limit, whichever is sooner."""
    window = min(timedelta(seconds=settings.NOTIFICATION_GIVE_UP_SECONDS), get_kind(notification.kind).send_within)
    return notification.due_at + window


def _after_error(notification: Notification, claim_token: uuid.UUID, error: Exception, *, now: datetime) -> Outcome:
    reason = short_reason(error)
    if is_permanent(error) or now >= _give_up_at(notification):
        return _fail(notification, claim_token, reason=reason)
    if isinstance(error, RecipientDomainSlow):
        retry_in = min(error.wait, MAX_RETRY_SECONDS)
    else:
        retry_in = min(settings.NOTIFICATION_RETRY_SECONDS * 2 ** (notification.attempts - 1), MAX_RETRY_SECONDS)
    # The claim is kept but lapses when the retry is due, so if the retry message is
    # lost the sweep takes the row back at about the same moment.
    Notification.objects.filter(id=notification.pk, claim_token=claim_token, state=State.SENDING).update(
        claimed_until=now + timedelta(seconds=retry_in), last_error=reason[:200]
    )
    logger.warning("Notification %s not sent (%s); retrying in %s s.", notification.pk, reason, retry_in)
    return Outcome("retry", retry_in=retry_in)


def _tell_failure_listeners(notification: Notification) -> None:
    for listener in failure_listeners():
        try:
            listener(notification)
        except Exception:
            # The row is already marked failed and shown on the organisers' page.
            logger.exception("Could not report the failure of notification %s.", notification.pk)


def is_permanent(error: Exception) -> bool:
    """A refusal that will not change if we ask again: the address or message is rejected."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(500 <= code < 600 for code, _ in error.recipients.values())
    if isinstance(error, smtplib.SMTPSenderRefused | smtplib.SMTPDataError):
        return 500 <= error.smtp_code < 600
    return False


def short_reason(error: Exception) -> str:
    """The class and, for SMTP, the reply code: never the text, which can quote addresses."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        return f"{type(error).__name__} {','.join(map(str, codes))}"
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{type(error).__name__} {error.smtp_code}"
    return type(error).__name__


def _lease() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATION_LEASE_SECONDS)
