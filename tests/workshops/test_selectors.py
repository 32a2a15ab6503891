from datetime import timedelta

import pytest

from surgeries.models import SurgeryDay
from tests.factories import (
    OpenSpaceFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    facilitating,
    fill_day,
    registered,
)
from workshops import selectors, services
from workshops.models import Workshop

pytestmark = pytest.mark.django_db


def test_programme_items_mixes_workshops_and_open_space_in_time_order():
    day = SurgeryDayFactory()
    later = WorkshopFactory(day=day, title="Later", starts_at=day.starts_at + timedelta(hours=3), capacity=2)
    OpenSpaceFactory(day=day, title="Tea", starts_at=day.starts_at + timedelta(hours=1))
    WorkshopFactory(day=day, title="First", capacity=3)
    WorkshopFactory(day=day, title="Gone", status=Workshop.Status.CANCELLED)
    registered(workshop=later)
    registered(workshop=later)

    items = selectors.programme_items(day=day)

    assert [(i.kind, i.title, i.places_left, i.is_full) for i in items] == [
        ("workshop", "First", 3, False),
        ("open_space", "Tea", None, False),
        ("workshop", "Later", 0, True),
    ]


@pytest.mark.parametrize("count", [1, 30])
def test_programme_items_query_count_is_fixed(django_assert_num_queries, count):
    day = SurgeryDayFactory()
    fill_day(day, count)

    with django_assert_num_queries(3):
        items = selectors.programme_items(day=day)

    assert len(items) == 2 * count
    assert all(item.facilitator_names for item in items if item.kind == "workshop")


def test_registrations_for_person_leaves_out_cancelled_places_and_workshops(organiser):
    person = UserFactory()
    kept = registered(person=person)
    dropped = registered(
        person=person, workshop=WorkshopFactory(starts_at=kept.workshop.ends_at, day=kept.workshop.day)
    )
    services.registration_cancel(registration_id=dropped.pk, by=person)
    cancelled_workshop = WorkshopFactory(day=kept.workshop.day, starts_at=kept.workshop.ends_at + timedelta(hours=1))
    registered(person=person, workshop=cancelled_workshop)
    Workshop.objects.filter(pk=cancelled_workshop.pk).update(status=Workshop.Status.CANCELLED)

    assert list(selectors.registrations_for_person(person=person)) == [kept]


def test_facilitating_for_person_leaves_out_cancelled_workshops_draft_days_and_others_workshops(organiser):
    person = UserFactory()
    day = SurgeryDayFactory()
    later = facilitating(person=person, workshop=WorkshopFactory(day=day, starts_at=day.starts_at + timedelta(hours=2)))
    sooner = facilitating(person=person, workshop=WorkshopFactory(day=day))
    called_off = WorkshopFactory(day=day, starts_at=day.starts_at + timedelta(hours=4), status="cancelled")
    facilitating(person=person, workshop=called_off)
    draft_day = SurgeryDayFactory(status=SurgeryDay.Status.DRAFT, starts_at=day.starts_at + timedelta(days=1))
    facilitating(person=person, workshop=WorkshopFactory(day=draft_day))
    facilitating(workshop=WorkshopFactory(day=day))

    assert list(selectors.facilitating_for_person(person=person)) == [sooner, later]
