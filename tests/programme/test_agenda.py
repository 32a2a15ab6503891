from datetime import timedelta

import pytest
from django.utils import timezone

from programme.agenda import my_bookings
from tests.factories import UserFactory, WorkshopFactory, booked_slot, facilitating, past_day, registered
from workshops.models import WorkshopWaitingEntry

pytestmark = pytest.mark.django_db


def test_my_bookings_puts_workshop_places_beside_sessions_in_time_order(learner, slot):
    booked_slot(slot=slot, learner=learner)
    later = WorkshopFactory(day=slot.day, title="Later", starts_at=slot.day.starts_at + timedelta(hours=3))
    earlier = WorkshopFactory(day=slot.day, title="Earlier", starts_at=slot.day.starts_at + timedelta(hours=1))
    registered(workshop=later, person=learner)
    facilitating(workshop=earlier, person=learner)

    mine = my_bookings(person=learner)

    assert [b.slot_id for b in mine.upcoming] == [slot.pk]
    assert [(item.title, item.role) for item in mine.other_upcoming] == [
        ("Earlier", "Facilitator"),
        ("Later", "Participant"),
    ]
    assert mine.other_upcoming[0].register_url and not mine.other_upcoming[0].cancel_url
    assert mine.other_upcoming[1].cancel_url and mine.other_upcoming[1].calendar_url


def test_my_bookings_lists_a_held_workshop_under_past_and_an_open_waiting_place(organisation, learner, day):
    held = WorkshopFactory(day=past_day(organisation, title="Autumn surgery"), title="Held")
    facilitating(workshop=held, person=learner)
    full = WorkshopFactory(day=day, title="Full", capacity=1)
    registered(workshop=full, person=UserFactory())
    WorkshopWaitingEntry.objects.create(workshop=full, person=learner)

    mine = my_bookings(person=learner, now=timezone.now())

    assert [item.title for item in mine.other_past] == ["Held"]
    assert [item.title for item in mine.other_waiting] == ["Full"]
    assert mine.other_upcoming == []
