"""Scheduling many messages in one block (`notifications_in_bulk`): the same rows as
scheduling them one by one, written together when the block ends."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from outbox.models import Notification
from outbox.services import notification_schedule, notifications_cancel_for, notifications_in_bulk
from surgeries.notifications import DAY_REMINDER, HOUR_BEFORE
from tests.factories import SurgeryDayFactory, UserFactory

pytestmark = pytest.mark.django_db

State = Notification.State


def _remind(day, recipient, *, due_at, slot=HOUR_BEFORE):
    return notification_schedule(kind=DAY_REMINDER, recipient=recipient, subject=day, slot=slot, due_at=due_at)


def test_bulk_block_writes_once_at_its_end_with_the_last_time_for_each_message():
    days, person, soon = SurgeryDayFactory.create_batch(3), UserFactory(), timezone.now() + timedelta(hours=1)
    kept = _remind(days[0], person, due_at=soon)  # already scheduled: moved, not doubled

    with transaction.atomic(), notifications_in_bulk():
        for day in days:
            _remind(day, person, due_at=soon + timedelta(minutes=5))
        _remind(days[1], person, due_at=soon + timedelta(minutes=10))
        written_inside = Notification.objects.count()

    rows = {row.subject_id: (row.due_at, row.state) for row in Notification.objects.all()}
    assert written_inside == 1
    assert Notification.objects.count() == 3
    assert rows == {
        days[0].pk: (soon + timedelta(minutes=5), State.PENDING),
        days[1].pk: (soon + timedelta(minutes=10), State.PENDING),
        days[2].pk: (soon + timedelta(minutes=5), State.PENDING),
    }
    assert Notification.objects.get(pk=kept.pk).due_at == soon + timedelta(minutes=5)


def test_bulk_block_that_fails_writes_nothing_and_cancelling_drops_what_was_gathered():
    day, other, person = SurgeryDayFactory(), SurgeryDayFactory(), UserFactory()
    soon = timezone.now() + timedelta(hours=1)

    with pytest.raises(RuntimeError), transaction.atomic(), notifications_in_bulk():
        _remind(day, person, due_at=soon)
        raise RuntimeError("the booking failed")
    with transaction.atomic(), notifications_in_bulk():
        _remind(day, person, due_at=soon)
        _remind(other, person, due_at=soon)
        notifications_cancel_for(subject=day)

    assert list(Notification.objects.values_list("subject_id", flat=True)) == [other.pk]
