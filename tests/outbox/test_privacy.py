"""Erasing an account: the outbox drops what was still to be sent to the person."""

import pytest

from outbox.models import Notification
from people.privacy import account_delete
from tests.factories import SlotFactory, booked_slot

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("erased", ["learner", "surgeon"])
def test_account_delete_with_upcoming_bookings_leaves_nothing_unsent_to_the_person(erased, learner, surgeon):
    # Erasure cancels the person's bookings, which schedules cancellation notices:
    # none of them may still go to the erased person.
    booked_slot(slot=SlotFactory(surgeon=surgeon), learner=learner)
    person = {"learner": learner, "surgeon": surgeon}[erased]

    account_delete(person=person)

    unsent = Notification.objects.filter(recipient=person).exclude(state=Notification.State.SENT)
    assert list(unsent.values_list("kind", flat=True)) == []
    assert Notification.objects.exclude(recipient=person).filter(state=Notification.State.PENDING).exists()
