from datetime import timedelta

import pytest
import time_machine

from people.models import OrganisationBlock
from surgeries import errors as surgery_errors
from surgeries.models import SurgeryDay
from tests.factories import (
    SlotFactory,
    SurgeryDayFactory,
    UserFactory,
    WorkshopFactory,
    active_commitments,
    booked_slot,
    details_for,
    registered,
)
from workshops import errors, services
from workshops.models import Registration, WorkshopWaitingEntry
from workshops.services.registration import waiting_lists_end_for_days

pytestmark = pytest.mark.django_db


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
