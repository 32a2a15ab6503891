from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine

from people.privacy import account_delete, account_export
from surgeries.models import Commitment
from tests.factories import UserFactory, WorkshopFactory, registered
from workshops import services
from workshops.models import Registration, WorkshopFacilitator, WorkshopWaitingEntry

pytestmark = pytest.mark.django_db


def full_workshop_with_waiting(*people):
    """A one-seat workshop held by its first person; the rest wait, oldest first."""
    workshop = WorkshopFactory(capacity=1)
    registered(workshop=workshop, person=people[0])
    for person in people[1:]:
        services.waiting_list_join(workshop_id=workshop.pk, person=person)
    return workshop


def test_workshops_export_contains_the_registration(learner):
    workshop = WorkshopFactory(title="Staying safe on Instagram")
    registered(workshop=workshop, person=learner)

    section = account_export(person=learner)["workshops"]

    assert section["registrations"] == [
        {
            "workshop": "Staying safe on Instagram",
            "day": workshop.day.title,
            "starts_at_utc": workshop.starts_at.isoformat(),
            "venue_time_zone": workshop.day.venue.time_zone,
            "status": "active",
            "registered": section["registrations"][0]["registered"],
            "marked_did_not_come": False,
            "feedback": None,
        }
    ]


def test_workshops_export_contains_waiting_and_facilitating(learner, organiser, day):
    waiting_for = full_workshop_with_waiting(UserFactory(), learner)
    running = WorkshopFactory(day=day, starts_at=day.starts_at + timedelta(hours=2))
    services.workshop_update(
        workshop_id=running.pk,
        by=organiser,
        details=replace(_details(running), facilitator_ids=[learner.pk]),
    )

    section = account_export(person=learner)["workshops"]

    assert [(row["workshop"], row["status"]) for row in section["waiting_lists"]] == [(waiting_for.title, "waiting")]
    assert [row["workshop"] for row in section["facilitating"]] == [running.title]


def test_account_delete_cancels_upcoming_place_and_promotes_oldest_waiting(learner):
    oldest, younger = UserFactory(), UserFactory()
    workshop = full_workshop_with_waiting(learner, oldest, younger)

    account_delete(person=learner)

    places = Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE)
    assert list(places.values_list("person_id", flat=True)) == [oldest.pk]
    assert Commitment.objects.filter(person=learner, is_active=True).count() == 0


def test_account_delete_leaves_waiting_lists_so_never_promoted(learner):
    holder = UserFactory()
    workshop = full_workshop_with_waiting(holder, learner)

    account_delete(person=learner)
    services.registration_cancel(registration_id=workshop.registrations.get().pk, by=holder)

    assert Registration.objects.filter(workshop=workshop, status=Registration.Status.ACTIVE).count() == 0
    assert list(WorkshopWaitingEntry.objects.filter(person=learner).values_list("status", flat=True)) == ["left"]


def test_account_delete_keeps_past_places_for_counts(learner):
    workshop = WorkshopFactory()
    registration = registered(workshop=workshop, person=learner)

    with time_machine.travel(workshop.ends_at + timedelta(hours=1)):
        account_delete(person=learner)

    registration.refresh_from_db()
    assert (registration.status, registration.person_id) == (Registration.Status.ACTIVE, learner.pk)


def test_account_delete_removes_upcoming_facilitator_assignment(organiser, learner, day):
    workshop = WorkshopFactory(day=day)
    services.workshop_update(
        workshop_id=workshop.pk, by=organiser, details=replace(_details(workshop), facilitator_ids=[learner.pk])
    )

    account_delete(person=learner)

    assert WorkshopFacilitator.objects.filter(person=learner).count() == 0
    assert Commitment.objects.filter(person=learner, is_active=True).count() == 0


def test_account_delete_keeps_past_facilitator_assignment(organiser, learner, day):
    workshop = WorkshopFactory(day=day)
    services.workshop_update(
        workshop_id=workshop.pk, by=organiser, details=replace(_details(workshop), facilitator_ids=[learner.pk])
    )

    with time_machine.travel(workshop.ends_at + timedelta(hours=1)):
        account_delete(person=learner)

    assert WorkshopFacilitator.objects.filter(person=learner).count() == 1


def _details(workshop) -> services.WorkshopDetails:
    return services.WorkshopDetails(
        title=workshop.title,
        description=workshop.description,
        room=workshop.room,
        starts_at=workshop.starts_at,
        ends_at=workshop.ends_at,
        capacity=workshop.capacity,
    )
