"""Export and erasure cover every table that points at a person.

"Export my data" and "delete my account" (people.services) reach other apps'
tables only through the sections and handlers each app's privacy module gives
them. The risk is silent omission: a new model with a foreign key to the user is
neither exported nor erased, and nothing fails. So every such field must be named
below with the module that handles it, and that module must handle the model.
"""

import re
from pathlib import Path

from django.apps import apps
from django.contrib.auth import get_user_model

ROOT = Path(__file__).resolve().parents[2]

# "app.Model.field" -> the module whose export section and erasure handler cover it.
HANDLED_BY = {
    "account.EmailAddress.user": "people/privacy.py",
    "people.Membership.person": "people/privacy.py",
    "people.OrganisationBlock.person": "people/privacy.py",
    "people.OrganisationBlock.blocked_by": "people/privacy.py",
    "people.Profile.person": "people/privacy.py",
    "people.PersonPerspective.person": "people/privacy.py",
    "people.TopicOffer.person": "people/privacy.py",
    "people.TopicWant.person": "people/privacy.py",
    "people.Invitation.invited_by": "people/privacy.py",
    "people.Invitation.accepted_by": "people/privacy.py",
    "people.JoinRequest.person": "people/privacy.py",
    "people.JoinRequest.decided_by": "people/privacy.py",
    "people.AuditEntry.actor": "people/privacy.py",
    "people.AuditEntry.subject": "people/privacy.py",
    "people.SignInLink.person": "people/privacy.py",
    "people.SignInLink.created_by": "people/privacy.py",
    "people.DirectoryListing.person": "directory/privacy.py",
    "people.ContactBlock.blocker": "directory/privacy.py",
    "people.ContactBlock.blocked": "directory/privacy.py",
    "people.DirectoryMessage.sender": "directory/privacy.py",
    "people.DirectoryMessage.recipient": "directory/privacy.py",
    "surgeries.DaySurgeon.person": "surgeries/privacy.py",
    "surgeries.Slot.surgeon": "surgeries/privacy.py",
    "surgeries.Booking.learner": "surgeries/privacy.py",
    "surgeries.Booking.surgeon": "surgeries/privacy.py",
    "surgeries.Booking.booked_by": "surgeries/privacy.py",
    "surgeries.WaitingListEntry.person": "surgeries/privacy.py",
    "surgeries.CalendarFeed.person": "surgeries/privacy.py",
    "surgeries.DayMessage.sent_by": "surgeries/privacy.py",
    # Sessions' commitments go with their bookings; workshops' with their places.
    "surgeries.Commitment.person": "workshops/privacy.py",
    "workshops.WorkshopFacilitator.person": "workshops/privacy.py",
    "workshops.Registration.person": "workshops/privacy.py",
    "workshops.WorkshopWaitingEntry.person": "workshops/privacy.py",
    "matchmaking.MatchRequest.learner": "matchmaking/privacy.py",
    "matchmaking.MatchProposal.created_by": "matchmaking/privacy.py",
    "matchmaking.MatchProposal.confirmed_by": "matchmaking/privacy.py",
    "afterday.Feedback.author": "afterday/privacy.py",
    "afterday.SessionNote.written_by": "afterday/privacy.py",
    "afterday.WorkshopFeedback.author": "afterday/privacy.py",
    "outbox.Notification.recipient": "outbox/privacy.py",
    "outbox.NotificationPreference.person": "outbox/privacy.py",
}
# Fields that point at a person but hold nothing of theirs to export or erase.
NOT_PERSONAL = {
    # Django admin's own record of what staff changed; only staff appear in it.
    "admin.LogEntry.user",
}


def _fields_pointing_at_people() -> set[str]:
    user = get_user_model()
    return {
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if field.concrete and field.is_relation and field.related_model is user
    }


def test_every_field_that_points_at_a_person_is_exported_and_erased_somewhere():
    unclaimed = _fields_pointing_at_people() - HANDLED_BY.keys() - NOT_PERSONAL

    assert unclaimed == set(), "Say how 'export my data' and 'delete my account' treat these"


def test_the_list_names_no_field_that_is_gone():
    assert (HANDLED_BY.keys() | NOT_PERSONAL) - _fields_pointing_at_people() == set()


def test_each_named_module_handles_its_model():
    missing = [
        (field, module)
        for field, module in HANDLED_BY.items()
        if not re.search(rf"\b{field.split('.')[1]}\b", (ROOT / module).read_text(encoding="utf-8"))
    ]

    assert missing == []
