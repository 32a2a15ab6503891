"""The outbox's part of erasing an account, through people's erasure hook."""

from outbox.models import Notification, NotificationPreference
from people.models import User
from people.privacy import register_erasure_handler


def outbox_erase(person: User) -> None:
    # Nothing more is sent to an erased person; sent rows stay (no bodies) so counts hold.
    Notification.objects.filter(recipient=person).exclude(state=Notification.State.SENT).delete()
    NotificationPreference.objects.filter(person=person).delete()


def register() -> None:
    register_erasure_handler(outbox_erase)
