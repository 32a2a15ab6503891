"""What "export my data" and "delete my account" do with the directory.

Registered with `people.privacy` from `DirectoryConfig.ready()`, so `people` never
imports this app.
"""

from django.db.models import Q

from directory.services import LISTING_FIELDS
from outbox.services import notifications_cancel_for
from people.models import ContactBlock, DirectoryListing, DirectoryMessage, User
from people.privacy import register_erasure_handler, register_export_section


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
    register_export_section("directory", export_directory)
    register_erasure_handler(erase_directory)
