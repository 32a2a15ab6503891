"""Writes for the network directory: listings, relayed messages, blocks.

Messages are relayed: the sender writes in the site, the outbox emails the
recipient from the site's own address, and the recipient answers through a link
back to the site. Neither ever sees the other's email address.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from directory.notifications import DIRECTORY_MESSAGE
from outbox.services import notification_schedule, notifications_cancel_for
from people.models import ContactBlock, DirectoryListing, DirectoryMessage, Membership, Organisation, User
from people.selectors import is_blocked

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


def _is_member(person: User, organisation: Organisation) -> bool:
    return Membership.objects.filter(person=person, organisation=organisation).exists()


@transaction.atomic
def listing_save(*, person: User, organisation: Organisation, **choices) -> DirectoryListing:
    """Opt in to the directory, or change what the listing shows."""
    if not _is_member(person, organisation) or is_blocked(person=person, organisation=organisation):
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
        _is_member(sender, organisation)
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
