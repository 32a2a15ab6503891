"""Organisers' messages to the people of a day, one outbox row per person.

Two kinds, the same email: a message about arrangements people need (a change of
room, a cancelled session) is essential and reaches everyone; anything else is
non-essential, so people who turned such messages off are not sent it, and its
footer says where to turn them off.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from outbox.registry import NOTICE_SEND_WITHIN, NotificationKind
from outbox.services import notification_schedule
from outbox.tasks import sweep_soon
from people.models import User
from surgeries.models import DayMessage

DAY_MESSAGE = "surgeries.day_message"
DAY_MESSAGE_ESSENTIAL = "surgeries.day_message_essential"


def message_kind(message: DayMessage) -> str:
    return DAY_MESSAGE_ESSENTIAL if message.is_essential else DAY_MESSAGE


def day_message_notify(*, message: DayMessage, recipients: Iterable[User]) -> int:
    """Schedule the message once for each recipient, due now; returns how many rows exist for it.

    Call inside the transaction that marks the message sent. The outbox's unique key
    (kind, recipient, message) means a second call adds nobody twice.
    """
    now = timezone.now()
    kind = message_kind(message)
    count = 0
    for person in recipients:
        if notification_schedule(kind=kind, recipient=person, subject=message, due_at=now, scope=message.day):
            count += 1
    transaction.on_commit(sweep_soon)
    return count


def _message_context(notification, message: DayMessage, recipient: User) -> dict:
    day = message.day
    return {
        "message": message,
        "day": day,
        "venue": day.venue,
        "zone": day.venue.time_zone,
        "organisation": day.organisation,
    }


def _message_is_live(message: DayMessage) -> bool:
    # A purged body has nothing left to send.
    return message.is_sent and message.body_purged_at is None


MESSAGE_KINDS = (
    NotificationKind(
        name=DAY_MESSAGE,
        label="Message from the organisers",
        essential=False,
        send_within=NOTICE_SEND_WITHIN,
        template="day_message",
        build_context=_message_context,
        is_live=_message_is_live,
    ),
    NotificationKind(
        name=DAY_MESSAGE_ESSENTIAL,
        label="Message from the organisers about arrangements",
        essential=True,
        send_within=NOTICE_SEND_WITHIN,
        template="day_message",
        build_context=_message_context,
        is_live=_message_is_live,
    ),
)
