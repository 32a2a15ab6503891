import pytest
from django.core.exceptions import PermissionDenied

from directory.services import contact_block, listing_save, message_send


def test_people_outside_the_network_cannot_list_themselves(organisation, stranger):
    with pytest.raises(PermissionDenied):
        listing_save(person=stranger, organisation=organisation)


def test_blocked_sender_is_refused_by_the_service_too(organisation, listed, learner):
    contact_block(blocker=listed, blocked=learner)

    with pytest.raises(PermissionDenied):
        message_send(sender=learner, recipient=listed, organisation=organisation, body="Again")


def test_a_reply_cannot_be_aimed_at_someone_else(organisation, listed, learner, organiser):
    first = message_send(sender=learner, recipient=listed, organisation=organisation, body="Hello")

    with pytest.raises(PermissionDenied):
        message_send(sender=listed, recipient=organiser, organisation=organisation, body="x", in_reply_to=first)
