"""Writes and reads for the network directory (models in people/directory.py).

Messages are relayed: the sender writes in the site, the outbox emails the
recipient from the site's own address, and the recipient answers through a link
back to the site. Neither ever sees the other's email address.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from outbox.registry import NOTICE_SEND_WITHIN, NotificationKind, register_kind
from outbox.services import notification_schedule, notifications_cancel_for
from people.directory import ContactBlock, DirectoryListing, DirectoryMessage
from people.models import Membership, Organisation, OrganisationBlock, Profile, TopicOffer, TopicWant, User

DIRECTORY_MESSAGE = "people.directory_message"
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


def _is_shut_out(person: User, organisation: Organisation) -> bool:
    return OrganisationBlock.objects.filter(person=person, organisation=organisation).exists()


@transaction.atomic
def listing_save(*, person: User, organisation: Organisation, **choices) -> DirectoryListing:
    """Opt in to the directory, or change what the listing shows."""
    if not _is_member(person, organisation) or _is_shut_out(person, organisation):
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
    if not recipient.is_active or _is_shut_out(sender, organisation):
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


# --- Reads --------------------------------------------------------------------------


@dataclass(frozen=True)
class DirectoryEntry:
    person_id: int
    display_name: str
    intro: str
    pronouns: str
    languages: str
    offers: tuple[str, ...]
    wants: tuple[str, ...]
    accepts_messages: bool


def directory_entries(*, organisation: Organisation, viewer: User, topic_id: int | None = None) -> list[DirectoryEntry]:
    """Listed members as the viewer may see them, in four queries whatever their number.

    Only fields the person chose to show are read into an entry. The topic filter
    matches only interests the person shows, so filtering cannot reveal a hidden one.
    Someone who blocked the viewer is left out for the viewer.
    """
    listings = (
        DirectoryListing.objects.filter(organisation=organisation, person__is_active=True)
        .exclude(person__organisation_blocks__organisation=organisation)
        .exclude(person__contact_blocks__blocked=viewer)
        .select_related("person")
    )
    if topic_id:
        listings = listings.filter(
            Q(show_topics_offered=True, person__topic_offers__topic_id=topic_id)
            | Q(show_topics_wanted=True, person__topic_wants__topic_id=topic_id)
        ).distinct()
    listings = list(listings.order_by("person__display_name", "person_id"))
    ids = [listing.person_id for listing in listings]
    profiles = {p.person_id: p for p in Profile.objects.filter(person_id__in=ids)}
    offers, wants = _topics_by_person(ids, organisation)
    return [_entry(listing, profiles.get(listing.person_id), offers, wants) for listing in listings]


def _topics_by_person(ids: list[int], organisation: Organisation) -> tuple[dict, dict]:
    offers: dict[int, list[str]] = {}
    wants: dict[int, list[str]] = {}
    for person_id, name in TopicOffer.objects.filter(
        person_id__in=ids, topic__organisation=organisation, topic__is_active=True
    ).values_list("person_id", "topic__name"):
        offers.setdefault(person_id, []).append(name)
    for person_id, name in TopicWant.objects.filter(
        person_id__in=ids, topic__organisation=organisation, topic__is_active=True
    ).values_list("person_id", "topic__name"):
        wants.setdefault(person_id, []).append(name)
    return offers, wants


def _entry(listing: DirectoryListing, profile: Profile | None, offers: dict, wants: dict) -> DirectoryEntry:
    return DirectoryEntry(
        person_id=listing.person_id,
        display_name=listing.person.display_name,
        intro=listing.intro,
        pronouns=profile.pronouns if profile and listing.show_pronouns else "",
        languages=profile.languages if profile and listing.show_languages else "",
        offers=tuple(sorted(offers.get(listing.person_id, []))) if listing.show_topics_offered else (),
        wants=tuple(sorted(wants.get(listing.person_id, []))) if listing.show_topics_wanted else (),
        accepts_messages=listing.accepts_messages,
    )


def directory_entry(*, organisation: Organisation, viewer: User, person_id: int) -> DirectoryEntry | None:
    return next(
        (e for e in directory_entries(organisation=organisation, viewer=viewer) if e.person_id == person_id), None
    )


# --- The email ----------------------------------------------------------------------


def _message_context(notification, message: DirectoryMessage, recipient: User) -> dict:
    slug = message.organisation.slug
    return {
        "message": message,
        "sender_name": message.sender.display_name,
        "organisation": message.organisation,
        "reply_url": settings.SITE_URL + reverse("directory:message_reply", args=[slug, message.pk]),
        "block_url": settings.SITE_URL + reverse("directory:message_block", args=[slug, message.pk]),
    }


def _message_is_live(message: DirectoryMessage) -> bool:
    return not ContactBlock.objects.filter(blocker_id=message.recipient_id, blocked_id=message.sender_id).exists()


def export_directory(person: User) -> dict:
    return {
        "listings": [
            {"network": listing.organisation.name, **{name: getattr(listing, name) for name in LISTING_FIELDS}}
            for listing in DirectoryListing.objects.filter(person=person).select_related("organisation")
        ],
        "messages_sent": [
            {"to": m.recipient.display_name, "sent_at": m.created_at.isoformat(), "body": m.body}
            for m in DirectoryMessage.objects.filter(sender=person).select_related("recipient")
        ],
        "messages_received": [
            {"from": m.sender.display_name, "sent_at": m.created_at.isoformat(), "body": m.body}
            for m in DirectoryMessage.objects.filter(recipient=person).select_related("sender")
        ],
        "people_blocked": [b.blocked.display_name for b in ContactBlock.objects.filter(blocker=person)],
    }


def erase_directory(person: User) -> None:
    """Listings, messages to and from the person, and blocks either way go with the account."""
    DirectoryListing.objects.filter(person=person).delete()
    for message in DirectoryMessage.objects.filter(Q(sender=person) | Q(recipient=person)):
        notifications_cancel_for(subject=message, reason="account deleted")
    DirectoryMessage.objects.filter(Q(sender=person) | Q(recipient=person)).delete()
    ContactBlock.objects.filter(Q(blocker=person) | Q(blocked=person)).delete()


def register() -> None:
    from people.services import register_erasure_handler, register_export_section

    register_export_section("directory", export_directory)
    register_erasure_handler(erase_directory)
    register_kind(
        NotificationKind(
            name=DIRECTORY_MESSAGE,
            label="Message from a network member",
            # The person asked to be contacted when they listed themselves.
            essential=True,
            send_within=NOTICE_SEND_WITHIN,
            template="directory_message",
            build_context=_message_context,
            is_live=_message_is_live,
        )
    )
