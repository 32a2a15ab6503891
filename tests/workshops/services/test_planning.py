"""Organisers planning workshops and open space: creating, changing and cancelling them."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError

from outbox.models import Notification
from surgeries import errors as surgery_errors
from surgeries.models import Commitment, SurgeryDay
from surgeries.services import day_cancel
from tests.factories import (
    SlotFactory,
    UserFactory,
    WorkshopFactory,
    active_commitments,
    booked_slot,
    details_for,
    facilitating,
    past_day,
    past_workshop,
    registered,
)
from workshops import errors, services
from workshops.models import Registration, Workshop, WorkshopWaitingEntry

pytestmark = pytest.mark.django_db


def test_workshop_create_gives_facilitators_a_commitment(organiser, day, surgeon):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day, facilitator_ids=[surgeon.pk]))

    assert active_commitments(surgeon) == [("facilitator", workshop.starts_at)]


def test_facilitator_cannot_then_be_booked_as_surgeon_during_the_workshop(organiser, day, surgeon):
    services.workshop_create(day=day, by=organiser, details=details_for(day, facilitator_ids=[surgeon.pk]))
    slot = SlotFactory(day_surgeon__day=day, day_surgeon__person=surgeon, starts_at=day.starts_at + timedelta(hours=1))

    with pytest.raises(surgery_errors.SurgeonBusy):
        booked_slot(slot=slot)


def test_facilitator_may_be_a_learner_at_another_time_that_day(organiser, day, surgeon):
    services.workshop_create(day=day, by=organiser, details=details_for(day, facilitator_ids=[surgeon.pk]))

    booked_slot(slot=SlotFactory(day_surgeon__day=day), learner=surgeon)

    assert len(active_commitments(surgeon)) == 2


def test_workshop_create_refused_when_facilitator_busy_and_nothing_saved(organiser, day, surgeon):
    booked_slot(slot=SlotFactory(day_surgeon__day=day, starts_at=day.starts_at + timedelta(hours=1)), learner=surgeon)

    with pytest.raises(errors.FacilitatorBusy) as caught:
        services.workshop_create(day=day, by=organiser, details=details_for(day, facilitator_ids=[surgeon.pk]))

    assert caught.value.message == "Sam Surgeon already has something booked at this time."
    assert Workshop.objects.count() == 0


def test_workshop_create_outside_the_day_is_refused(organiser, day):
    with pytest.raises(ValidationError) as caught:
        services.workshop_create(
            day=day, by=organiser, details=details_for(day, starts_at=day.starts_at - timedelta(hours=1))
        )

    assert caught.value.message_dict == {"starts_at": ["The times must be within the surgery day."]}


@pytest.mark.parametrize("persona", ["surgeon", "learner", "other_organiser", "stranger"])
def test_workshop_create_by_non_organiser_is_refused(request, day, persona):
    with pytest.raises(surgery_errors.NotAllowed):
        services.workshop_create(day=day, by=request.getfixturevalue(persona), details=details_for(day))


def test_workshop_update_capacity_below_places_taken_is_refused(organiser, day):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day, capacity=3))
    registered(workshop=workshop)
    registered(workshop=workshop)

    with pytest.raises(ValidationError) as caught:
        services.workshop_update(workshop_id=workshop.pk, by=organiser, details=details_for(day, capacity=1))

    assert caught.value.message_dict == {"capacity": ["2 people already have places, so there must be at least 2."]}
    workshop.refresh_from_db()
    assert workshop.capacity == 3


def test_workshop_update_smaller_capacity_renumbers_seats(organiser, day):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day, capacity=3))
    first, second, third = (registered(workshop=workshop) for _ in range(3))
    services.registration_cancel(registration_id=first.pk, by=first.person)

    services.workshop_update(workshop_id=workshop.pk, by=organiser, details=details_for(day, capacity=2))

    active = Registration.objects.filter(workshop=workshop, status="active").order_by("seat_number")
    assert [(r.pk, r.seat_number, r.capacity) for r in active] == [(third.pk, 1, 2), (second.pk, 2, 2)]


def test_workshop_update_bigger_capacity_promotes_waiting_people(organiser, day):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day, capacity=1))
    registered(workshop=workshop)
    waiting = UserFactory()
    services.waiting_list_join(workshop_id=workshop.pk, person=waiting)

    services.workshop_update(workshop_id=workshop.pk, by=organiser, details=details_for(day, capacity=2))

    assert Registration.objects.filter(workshop=workshop, person=waiting, status="active").exists()


def test_workshop_update_moves_everyones_commitments(organiser, day, surgeon, learner):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day, facilitator_ids=[surgeon.pk]))
    registered(workshop=workshop, person=learner)
    later = day.starts_at + timedelta(hours=3)

    services.workshop_update(
        workshop_id=workshop.pk,
        by=organiser,
        details=details_for(day, starts_at=later, ends_at=later + timedelta(hours=1), facilitator_ids=[surgeon.pk]),
    )

    assert active_commitments(surgeon) == [("facilitator", later)]
    assert active_commitments(learner) == [("participant", later)]


def test_workshop_update_to_a_time_someone_is_busy_is_refused(organiser, day, learner):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day))
    registered(workshop=workshop, person=learner)
    slot = booked_slot(slot=SlotFactory(day_surgeon__day=day, starts_at=day.starts_at + timedelta(hours=3))).slot
    booked_slot(slot=SlotFactory(day_surgeon__day=day, starts_at=slot.starts_at), learner=learner)
    moved = details_for(day, starts_at=slot.starts_at, ends_at=slot.ends_at)

    with pytest.raises(errors.WorkshopError) as caught:
        services.workshop_update(workshop_id=workshop.pk, by=organiser, details=moved)

    assert "Lee Learner" in caught.value.message
    assert Commitment.objects.get(role="participant").starts_at == day.starts_at + timedelta(hours=1)


def test_workshop_update_swaps_facilitators(organiser, day, surgeon, learner):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day, facilitator_ids=[surgeon.pk]))

    services.workshop_update(
        workshop_id=workshop.pk, by=organiser, details=details_for(day, facilitator_ids=[learner.pk])
    )

    assert active_commitments(surgeon) == []
    assert active_commitments(learner) == [("facilitator", workshop.starts_at)]


def test_workshop_cancel_releases_everyone(organiser, day, surgeon, learner):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day, facilitator_ids=[surgeon.pk]))
    registered(workshop=workshop, person=learner)
    services.workshop_update(
        workshop_id=workshop.pk, by=organiser, details=details_for(day, capacity=1, facilitator_ids=[surgeon.pk])
    )
    services.waiting_list_join(workshop_id=workshop.pk, person=UserFactory())

    count = services.workshop_cancel(workshop_id=workshop.pk, by=organiser)

    assert count == 1
    assert Commitment.objects.filter(is_active=True).count() == 0
    assert list(WorkshopWaitingEntry.objects.values_list("status", flat=True)) == ["left"]
    with pytest.raises(errors.RegistrationClosed):
        registered(workshop=workshop)


def test_workshop_cancel_by_other_organiser_is_refused(organiser, day, other_organiser):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day))

    with pytest.raises(surgery_errors.NotAllowed):
        services.workshop_cancel(workshop_id=workshop.pk, by=other_organiser)


def test_workshop_cancel_on_a_finished_day_is_refused_and_tells_nobody(organiser, organisation, surgeon):
    day = past_day(organisation)
    workshop = WorkshopFactory(day=day)
    facilitating(workshop=workshop, person=surgeon)

    with pytest.raises(errors.WorkshopError) as refused:
        services.workshop_cancel(workshop_id=workshop.pk, by=organiser)

    assert refused.value.message == "This workshop is over, so it cannot be cancelled."
    assert Workshop.objects.get(pk=workshop.pk).status == Workshop.Status.ACTIVE
    assert not Notification.objects.exists()


def test_open_space_save_and_delete(organiser, day):
    details = services.OpenSpaceDetails(
        title="Open space and a cup of tea",
        room="Main hall",
        starts_at=day.starts_at + timedelta(hours=2),
        ends_at=day.starts_at + timedelta(hours=3),
    )

    block = services.open_space_save(day=day, by=organiser, details=details)
    services.open_space_delete(open_space=block, by=organiser)

    assert day.open_spaces.count() == 0


def test_cancelling_the_day_cancels_its_workshops_and_frees_everyone(organiser, day, surgeon, learner):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day, facilitator_ids=[surgeon.pk]))
    registered(workshop=workshop, person=learner)

    day_cancel(day=day, by=organiser)

    workshop.refresh_from_db()
    assert workshop.status == "cancelled"
    assert Registration.objects.get().status == "cancelled"
    assert Commitment.objects.filter(is_active=True).count() == 0


def test_a_workshop_that_has_ended_cannot_be_cancelled_before_its_day_is_marked_finished(organisation, organiser):
    # The day ended two days ago, but the hourly job has not marked it finished.
    workshop = past_workshop(past_day(organisation, status=SurgeryDay.Status.PUBLISHED))

    with pytest.raises(errors.WorkshopError, match="This workshop is over"):
        services.workshop_cancel(workshop_id=workshop.pk, by=organiser)
    assert Workshop.objects.get(pk=workshop.pk).is_active
