"""The one message the directory sends: a member's message, relayed by the outbox.

The email comes from the site's own address; the recipient answers or blocks
through links back to the site, so neither ever sees the other's address.
"""

from django.conf import settings
from django.urls import reverse

from outbox.registry import NOTICE_SEND_WITHIN, NotificationKind
from people.models import ContactBlock, DirectoryMessage, User

# The name from before the directory was its own app: outbox rows already carry it.
DIRECTORY_MESSAGE = "people.directory_message"


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
)
