from dataclasses import replace
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError

from outbox.models import Notification
from people.models import OrganisationBlock
from surgeries import errors as surgery_errors
from surgeries.models import Commitment, SurgeryDay
from surgeries.services import day_cancel
from tests.factories import (
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    booked_slot,
    facilitating,
    past_day,
    past_workshop,
    registered,
)
from workshops import errors, services
from workshops.models import Registration, Workshop, WorkshopWaitingEntry
from workshops.services.registration import waiting_lists_end_for_days

pytestmark = pytest.mark.django_db


def details_for(day, **changes) -> services.WorkshopDetails:
    details = services.WorkshopDetails(
        title="Wellbeing and boundaries online",
        description="How to look after yourself online.",
        room="Room 2",
        starts_at=day.starts_at + timedelta(hours=1),
        ends_at=day.starts_at + timedelta(hours=2),
        capacity=12,
    )
    return replace(details, **changes)


def active_commitments(person) -> list[tuple[str, object]]:
    return list(Commitment.objects.filter(person=person, is_active=True).values_list("role", "starts_at"))


# --- registering ------------------------------------------------------------


def test_registration_create_takes_first_seat_and_a_participant_commitment(learner):
    workshop = WorkshopFactory()

    registration = registered(workshop=workshop, person=learner)

    assert (registration.seat_number, registration.capacity) == (1, 10)
    assert active_commitments(learner) == [("participant", workshop.starts_at)]


def test_registration_create_when_full_says_join_the_waiting_list(learner):
    workshop = WorkshopFactory(capacity=1)
    registered(workshop=workshop)

    with pytest.raises(errors.WorkshopFull) as caught:
        registered(workshop=workshop, person=learner)

    assert caught.value.message == "This workshop is full — join the waiting list."
    assert active_commitments(learner) == []


def test_registration_create_twice_is_refused(learner):
    workshop = WorkshopFactory()
    registered(workshop=workshop, person=learner)

    with pytest.raises(errors.AlreadyRegistered):
        registered(workshop=workshop, person=learner)


def test_registration_create_refused_while_booked_as_learner_at_the_same_time(learner):
    slot = SlotFactory()
    booked_slot(slot=slot, learner=learner)
    workshop = WorkshopFactory(day=slot.day)

    with pytest.raises(surgery_errors.PersonBusy):
        registered(workshop=workshop, person=learner)


def test_registration_create_refused_while_surgeon_at_the_same_time():
    slot = SlotFactory()
    booked_slot(slot=slot)
    workshop = WorkshopFactory(day=slot.day)

    with pytest.raises(surgery_errors.PersonBusy):
        registered(workshop=workshop, person=slot.surgeon)


def test_registration_create_refused_for_overlapping_workshop(learner):
    first = WorkshopFactory()
    second = WorkshopFactory(day=first.day, starts_at=first.starts_at + timedelta(minutes=30))
    registered(workshop=first, person=learner)

    with pytest.raises(surgery_errors.PersonBusy):
        registered(workshop=second, person=learner)


def test_registration_allows_back_to_back_workshops(learner):
    first = WorkshopFactory()
    second = WorkshopFactory(day=first.day, starts_at=first.ends_at)

    registered(workshop=first, person=learner)
    registered(workshop=second, person=learner)

    assert len(active_commitments(learner)) == 2


def test_booking_a_slot_is_refused_while_registered_for_a_workshop(learner):
    slot = SlotFactory()
    registered(workshop=WorkshopFactory(day=slot.day), person=learner)

    with pytest.raises(surgery_errors.PersonBusy):
        booked_slot(slot=slot, learner=learner)


@pytest.mark.parametrize(
    ("status", "error"),
    [(SurgeryDay.Status.DRAFT, errors.RegistrationClosed), (SurgeryDay.Status.CANCELLED, errors.RegistrationClosed)],
)
def test_registration_refused_unless_day_published(learner, status, error):
    workshop = WorkshopFactory(day=SurgeryDayFactory(status=status))

    with pytest.raises(error):
        registered(workshop=workshop, person=learner)


def test_registration_refused_once_workshop_started(learner):
    workshop = WorkshopFactory()

    with time_machine.travel(workshop.starts_at + timedelta(minutes=1)), pytest.raises(errors.RegistrationClosed):
        registered(workshop=workshop, person=learner)


def test_registration_refused_for_blocked_person_without_saying_why(learner):
    workshop = WorkshopFactory()
    OrganisationBlock.objects.create(organisation=workshop.day.organisation, person=learner)

    with pytest.raises(surgery_errors.PersonBlocked) as caught:
        registered(workshop=workshop, person=learner)

    assert caught.value.message == "Sorry, you cannot register for this workshop. Please contact the organisers."


def test_facilitator_cannot_register_for_own_workshop(organiser, day, surgeon):
    workshop = services.workshop_create(day=day, by=organiser, details=details_for(day, facilitator_ids=[surgeon.pk]))

    with pytest.raises(errors.FacilitatorCannotRegister):
        registered(workshop=workshop, person=surgeon)


# --- cancelling and the waiting list ---------------------------------------


def test_registration_cancel_releases_commitment_and_promotes_oldest_waiting_once(learner):
    workshop = WorkshopFactory(capacity=1)
    first = registered(workshop=workshop, person=learner)
    oldest, younger = UserFactory(), UserFactory()
    services.waiting_list_join(workshop_id=workshop.pk, person=oldest)
    services.waiting_list_join(workshop_id=workshop.pk, person=younger)

    services.registration_cancel(registration_id=first.pk, by=learner)

    assert active_commitments(learner) == []
    active = Registration.objects.filter(workshop=workshop, status="active")
    assert [(r.person, r.seat_number, r.from_waiting_list) for r in active] == [(oldest, 1, True)]
    assert list(WorkshopWaitingEntry.objects.values_list("person", "status")) == [
        (oldest.pk, "registered"),
        (younger.pk, "waiting"),
    ]


def test_registration_cancel_twice_is_refused(learner):
    registration = registered(person=learner)
    services.registration_cancel(registration_id=registration.pk, by=learner)

    with pytest.raises(errors.WorkshopError):
        services.registration_cancel(registration_id=registration.pk, by=learner)


def test_promotion_skips_a_waiting_person_who_became_busy(learner):
    workshop = WorkshopFactory(capacity=1)
    first = registered(workshop=workshop, person=learner)
    busy, free = UserFactory(), UserFactory()
    services.waiting_list_join(workshop_id=workshop.pk, person=busy)
    services.waiting_list_join(workshop_id=workshop.pk, person=free)
    booked_slot(slot=SlotFactory(day=workshop.day, day_surgeon__day=workshop.day), learner=busy)

    services.registration_cancel(registration_id=first.pk, by=learner)

    assert Registration.objects.get(workshop=workshop, status="active").person == free
    assert WorkshopWaitingEntry.objects.get(person=busy).status == "waiting"


def test_waiting_list_join_takes_a_free_place_straight_away(learner):
    workshop = WorkshopFactory(capacity=2)

    result = services.waiting_list_join(workshop_id=workshop.pk, person=learner)

    assert isinstance(result, Registration)


def test_waiting_list_join_refused_when_busy_at_that_time(learner):
    workshop = WorkshopFactory(capacity=1)
    registered(workshop=workshop)
    registered(workshop=WorkshopFactory(day=workshop.day), person=learner)

    with pytest.raises(surgery_errors.PersonBusy):
        services.waiting_list_join(workshop_id=workshop.pk, person=learner)


def test_waiting_lists_end_for_days_ends_only_those_days_waiting_entries(learner):
    ending, other = WorkshopFactory(capacity=1), WorkshopFactory(capacity=1)
    for workshop in (ending, other):
        registered(workshop=workshop)
        services.waiting_list_join(workshop_id=workshop.pk, person=learner)

    ended = waiting_lists_end_for_days(SurgeryDay.objects.filter(pk=ending.day_id))

    assert ended == 1
    assert WorkshopWaitingEntry.objects.get(workshop=ending).status == "left"
    assert WorkshopWaitingEntry.objects.get(workshop=other).status == "waiting"
    assert waiting_lists_end_for_days(SurgeryDay.objects.filter(pk=ending.day_id)) == 0


def test_registration_cancel_after_cut_off_is_refused_but_organiser_may(learner, organiser, organisation):
    workshop = WorkshopFactory(day=SurgeryDayFactory(organisation=organisation))
    registration = registered(workshop=workshop, person=learner)

    with time_machine.travel(workshop.starts_at - timedelta(hours=1)):
        with pytest.raises(errors.TooLateToCancel):
            services.registration_cancel(registration_id=registration.pk, by=learner)
        services.registration_cancel(registration_id=registration.pk, by=organiser, as_organiser=True)

    assert Registration.objects.get().status == "cancelled"


def test_organiser_cannot_cancel_a_place_once_the_workshop_has_started(learner, organiser, organisation):
    workshop = WorkshopFactory(day=SurgeryDayFactory(organisation=organisation))
    registration = registered(workshop=workshop, person=learner)

    with time_machine.travel(workshop.starts_at, tick=False), pytest.raises(errors.WorkshopStarted):
        services.registration_cancel(registration_id=registration.pk, by=organiser, as_organiser=True)

    assert Registration.objects.get().status == "active"


def test_someone_else_cannot_cancel_a_registration(learner, stranger):
    registration = registered(person=learner)

    with pytest.raises(surgery_errors.NotAllowed):
        services.registration_cancel(registration_id=registration.pk, by=stranger)


# --- organisers planning ----------------------------------------------------


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
