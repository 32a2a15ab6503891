"""What the network sends: a member's message, relayed by the outbox, and the
answers to a request to join.

A relayed email comes from the site's own address; the recipient answers or
blocks through links back to the site, so neither ever sees the other's address.
"""

from django.conf import settings
from django.urls import reverse

from outbox.registry import NOTICE_SEND_WITHIN, NotificationKind
from people.models import ContactBlock, DirectoryMessage, JoinRequest, User

# The name from before the directory was its own app: outbox rows already carry it.
DIRECTORY_MESSAGE = "people.directory_message"
JOIN_REQUESTED = "directory.join_requested"
JOIN_APPROVED = "directory.join_approved"
JOIN_DECLINED = "directory.join_declined"


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


def _join_context(notification, join_request: JoinRequest, recipient: User) -> dict:
    slug = join_request.organisation.slug
    return {
        "join_request": join_request,
        "organisation": join_request.organisation,
        "requests_url": settings.SITE_URL + reverse("directory:join_requests", args=[slug]),
        "topics_url": settings.SITE_URL + reverse("people:skills_edit"),
        "organisation_url": settings.SITE_URL + reverse("people:organisation_detail", args=[slug]),
    }


def _is_waiting(join_request: JoinRequest) -> bool:
    return join_request.status == JoinRequest.Status.PENDING


def _is_approved(join_request: JoinRequest) -> bool:
    return join_request.status == JoinRequest.Status.APPROVED


def _is_declined(join_request: JoinRequest) -> bool:
    return join_request.status == JoinRequest.Status.DECLINED


KINDS = (
    NotificationKind(
        name=DIRECTORY_MESSAGE,
        label="Message from a network member",
        # The person asked to be contacted when they listed themselves.
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="directory_message",
        build_context=_message_context,
        is_live=_message_is_live,
    ),
    NotificationKind(
        name=JOIN_REQUESTED,
        label="Request to join (to the organisers)",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="join_requested",
        build_context=_join_context,
        is_live=_is_waiting,
    ),
    NotificationKind(
        name=JOIN_APPROVED,
        label="Request to join approved",
        # The person asked and is waiting for the answer.
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="join_approved",
        build_context=_join_context,
        is_live=_is_approved,
    ),
    NotificationKind(
        name=JOIN_DECLINED,
        label="Request to join declined",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="join_declined",
        build_context=_join_context,
        is_live=_is_declined,
    ),
)
