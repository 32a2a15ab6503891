"""Writes for the network: asking to join it, and its directory (listings, relayed
messages, blocks).

Messages are relayed: the sender writes in the site, the outbox emails the
recipient from the site's own address, and the recipient answers through a link
back to the site. Neither ever sees the other's email address.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from directory.notifications import DIRECTORY_MESSAGE, JOIN_APPROVED, JOIN_DECLINED, JOIN_REQUESTED
from outbox.services import notification_schedule, notifications_cancel_for
from people.models import (
    ContactBlock,
    DirectoryListing,
    DirectoryMessage,
    JoinRequest,
    Membership,
    Organisation,
    User,
)
from people.selectors import is_blocked, is_member, join_request_pending, organisers_of

# Enough to keep in touch, too few to spam a network.
MESSAGES_PER_DAY = 10
LISTING_FIELDS = (
    "intro",
    "show_pronouns",
    "show_languages",
    "show_topics_offered",
    "show_topics_wanted",
    "accepts_messages",
)


@transaction.atomic
def listing_save(*, person: User, organisation: Organisation, **choices) -> DirectoryListing:
    """Opt in to the directory, or change what the listing shows."""
    if not is_member(person=person, organisation=organisation) or is_blocked(person=person, organisation=organisation):
        raise PermissionDenied("Only members of this network can be listed.")
    listing = DirectoryListing.objects.filter(person=person, organisation=organisation).first()
    listing = listing or DirectoryListing(person=person, organisation=organisation)
    for name in LISTING_FIELDS:
        if name in choices:
            setattr(listing, name, choices[name])
    listing.full_clean()
    listing.save()
    return listing


@transaction.atomic
def listing_remove(*, person: User, organisation: Organisation) -> None:
    DirectoryListing.objects.filter(person=person, organisation=organisation).delete()


def _may_write(*, sender: User, recipient: User, organisation: Organisation, in_reply_to: DirectoryMessage | None):
    if ContactBlock.objects.filter(blocker=recipient, blocked=sender).exists():
        return False
    if not recipient.is_active or is_blocked(person=sender, organisation=organisation):
        return False
    if in_reply_to is not None:
        # A reply goes back to whoever wrote first, even if they are not listed themselves.
        return in_reply_to.recipient_id == sender.pk and in_reply_to.sender_id == recipient.pk
    return (
        is_member(person=sender, organisation=organisation)
        and DirectoryListing.objects.filter(person=recipient, organisation=organisation, accepts_messages=True).exists()
    )


@transaction.atomic
def message_send(
    *,
    sender: User,
    recipient: User,
    organisation: Organisation,
    body: str,
    in_reply_to: DirectoryMessage | None = None,
) -> DirectoryMessage:
    """Relay a message by email through the outbox. Refused for blocked or unlisted recipients."""
    if sender.pk == recipient.pk or not _may_write(
        sender=sender, recipient=recipient, organisation=organisation, in_reply_to=in_reply_to
    ):
        raise PermissionDenied("This person is not taking messages.")
    # Lock the sender's row so two quick posts cannot both slip under the daily limit.
    User.objects.select_for_update().filter(pk=sender.pk).first()
    since = timezone.now() - timedelta(days=1)
    if DirectoryMessage.objects.filter(sender=sender, created_at__gte=since).count() >= MESSAGES_PER_DAY:
        raise ValidationError("You have sent a lot of messages today. Please try again tomorrow.")
    message = DirectoryMessage(
        organisation=organisation, sender=sender, recipient=recipient, body=body.strip(), in_reply_to=in_reply_to
    )
    message.full_clean()
    message.save()
    notification_schedule(kind=DIRECTORY_MESSAGE, recipient=recipient, subject=message, due_at=timezone.now())
    return message


@transaction.atomic
def contact_block(*, blocker: User, blocked: User) -> ContactBlock:
    """Stop `blocked` writing to `blocker` and hide `blocker` from them; unsent messages are dropped."""
    if blocker.pk == blocked.pk:
        raise ValidationError("You cannot block yourself.")
    block, _ = ContactBlock.objects.get_or_create(blocker=blocker, blocked=blocked)
    for message in DirectoryMessage.objects.filter(sender=blocked, recipient=blocker):
        notifications_cancel_for(subject=message, reason="sender blocked")
    return block


@transaction.atomic
def contact_unblock(*, blocker: User, blocked_id: int) -> None:
    # blocked__pk, not blocked_id: only the former turns an id too large for the database into "no match".
    ContactBlock.objects.filter(blocker=blocker, blocked__pk=blocked_id).delete()


# --- Joining a network ------------------------------------------------------------------

ASK_AGAIN_AFTER_DECLINE = timedelta(days=7)
ASK_AGAIN_AFTER_WITHDRAWING = timedelta(days=1)

# Said to a blocked person who asks: true, and no more than they need.
JOIN_NOT_POSSIBLE = (
    "You cannot ask to join this network on the site. "
    "If you would like to talk about it, please contact its organisers."
)


class JoinError(Exception):
    """A request to join cannot be made or answered; the message is for the person on the page."""


@transaction.atomic
def join_request_create(*, person: User, organisation: Organisation, message: str = "") -> JoinRequest:
    """Ask to join. Asking again while a request waits returns that request, unchanged.

    The organisers hear of it through the outbox; the email links to the list and
    does not repeat the message, which stays on the site.
    """
    if is_member(person=person, organisation=organisation):
        raise JoinError(f"You are already a member of {organisation.name}.")
    if is_blocked(person=person, organisation=organisation):
        raise JoinError(JOIN_NOT_POSSIBLE)
    waiting = join_request_pending(person=person, organisation=organisation)
    if waiting is not None:
        return waiting
    _check_not_asked_lately(person=person, organisation=organisation)
    join_request = JoinRequest(organisation=organisation, person=person, message=message.strip())
    join_request.full_clean(validate_constraints=False)
    try:
        # A second press racing the first meets the one-waiting-request constraint.
        with transaction.atomic():
            join_request.save()
    except IntegrityError:
        return join_request_pending(person=person, organisation=organisation)
    for organiser in organisers_of(organisation=organisation):
        notification_schedule(kind=JOIN_REQUESTED, recipient=organiser, subject=join_request, due_at=timezone.now())
    return join_request


def _check_not_asked_lately(*, person: User, organisation: Organisation) -> None:
    """Each request emails every organiser, and they cannot turn those emails off: a
    week after a "no", and a day after a request taken back, before asking again."""
    now = timezone.now()
    declined = (
        JoinRequest.objects.filter(
            person=person,
            organisation=organisation,
            status=JoinRequest.Status.DECLINED,
            decided_at__gt=now - ASK_AGAIN_AFTER_DECLINE,
        )
        .order_by("-decided_at")
        .first()
    )
    if declined is not None:
        again = timezone.localtime(declined.decided_at + ASK_AGAIN_AFTER_DECLINE)
        raise JoinError(
            f"{organisation.name} answered your request on {timezone.localtime(declined.decided_at):%-d %B}. "
            f"You can ask again from {again:%-d %B}."
        )
    if JoinRequest.objects.filter(
        person=person,
        organisation=organisation,
        status=JoinRequest.Status.WITHDRAWN,
        created_at__gt=now - ASK_AGAIN_AFTER_WITHDRAWING,
    ).exists():
        raise JoinError(
            f"You took back a request to join {organisation.name} in the last day. You can ask again tomorrow."
        )


@transaction.atomic
def join_request_withdraw(*, person: User, organisation: Organisation) -> bool:
    """Take back a waiting request; its message goes at once. Returns whether there was one."""
    join_request = (
        JoinRequest.objects.select_for_update()
        .filter(person=person, organisation=organisation, status=JoinRequest.Status.PENDING)
        .first()
    )
    if join_request is None:
        return False
    join_request.status, join_request.message = JoinRequest.Status.WITHDRAWN, ""
    join_request.save(update_fields=["status", "message"])
    notifications_cancel_for(subject=join_request, reason="request withdrawn")
    return True


def _pending_locked(*, organisation: Organisation, join_request_id: int) -> JoinRequest:
    join_request = (
        JoinRequest.objects.select_for_update()
        .select_related("person")
        .filter(pk=join_request_id, organisation=organisation)
        .first()
    )
    if join_request is None:
        raise JoinError("There is no such request.")
    if not join_request.is_pending:
        raise JoinError(f"This request was already {join_request.get_status_display().lower()}.")
    return join_request


def _decided(join_request: JoinRequest, *, status: str, by: User, reason: str = "") -> None:
    join_request.status, join_request.decided_by, join_request.decided_at = status, by, timezone.now()
    join_request.decline_reason = reason.strip()
    join_request.full_clean()
    join_request.save()
    notifications_cancel_for(subject=join_request, kinds=[JOIN_REQUESTED], reason="answered")


@transaction.atomic
def join_request_approve(*, organisation: Organisation, join_request_id: int, by: User) -> Membership:
    """Make the person a member, and tell them, with a link to choose their topics.

    1. Lock the request, so two organisers answering at once cannot both act.
    2. Refuse if it was answered or withdrawn meanwhile, or the person was blocked.
    3. Add the membership (a member already keeps their role), mark the request
       approved and queue the message.
    """
    join_request = _pending_locked(organisation=organisation, join_request_id=join_request_id)
    person = join_request.person
    if is_blocked(person=person, organisation=organisation):
        raise JoinError(f"{person.display_name} is blocked from this organisation. Unblock them first.")
    membership, _ = Membership.objects.get_or_create(organisation=organisation, person=person)
    _decided(join_request, status=JoinRequest.Status.APPROVED, by=by)
    notification_schedule(kind=JOIN_APPROVED, recipient=person, subject=join_request, due_at=timezone.now())
    return membership


@transaction.atomic
def join_request_decline(
    *, organisation: Organisation, join_request_id: int, by: User, reason: str = ""
) -> JoinRequest:
    """Say no, with an optional reason the person is sent."""
    join_request = _pending_locked(organisation=organisation, join_request_id=join_request_id)
    _decided(join_request, status=JoinRequest.Status.DECLINED, by=by, reason=reason)
    notification_schedule(
        kind=JOIN_DECLINED, recipient=join_request.person, subject=join_request, due_at=timezone.now()
    )
    return join_request
