"""Who is paired with whom, or at the same event, for the visibility policy."""

import pytest

from surgeries.models import Commitment
from surgeries.selectors.relationships import relationships_for
from surgeries.services import booking_cancel, day_cancel
from tests.factories import DaySurgeonFactory, UserFactory, WorkshopFactory, booked_slot, registered
from workshops.models import WorkshopFacilitator
from workshops.services import registration_cancel


@pytest.mark.django_db
def test_relationships_for_pairs_and_event(learner, surgeon, stranger, slot):
    booked_slot(slot=slot, learner=learner)
    other_surgeon = DaySurgeonFactory(day=slot.day).person

    result = relationships_for(learner, [surgeon.pk, other_surgeon.pk, stranger.pk])

    assert result == {surgeon.pk: {"paired", "event"}, other_surgeon.pk: {"event"}, stranger.pk: set()}


@pytest.mark.django_db
def test_relationships_for_ignores_cancelled_bookings_and_days(organiser, learner, surgeon, slot):
    booking = booked_slot(slot=slot, learner=learner)
    booking_cancel(booking_id=booking.pk, by=learner)
    day_cancel(day=slot.day, by=organiser)

    assert relationships_for(learner, [surgeon.pk]) == {surgeon.pk: set()}


@pytest.mark.django_db
def test_relationships_for_counts_workshop_places_and_facilitators_as_event(learner, surgeon, stranger, slot):
    day = slot.day
    facilitator = UserFactory()
    workshop = WorkshopFactory(day=day, starts_at=slot.ends_at)
    facilitator_commitment = Commitment.objects.create(
        person=facilitator, day=day, starts_at=workshop.starts_at, ends_at=workshop.ends_at, role="facilitator"
    )
    WorkshopFacilitator.objects.create(workshop=workshop, person=facilitator, commitment=facilitator_commitment)
    registered(workshop=workshop, person=learner)
    other_day_person = registered(workshop=WorkshopFactory()).person

    result = relationships_for(learner, [surgeon.pk, facilitator.pk, stranger.pk, other_day_person.pk])

    assert result == {surgeon.pk: {"event"}, facilitator.pk: {"event"}, stranger.pk: set(), other_day_person.pk: set()}


@pytest.mark.django_db
def test_relationships_for_ignores_cancelled_workshop_places_and_cancelled_days(organiser, learner, slot):
    workshop = WorkshopFactory(day=slot.day, starts_at=slot.ends_at)
    cancelled = registered(workshop=workshop, person=learner)
    other = registered(workshop=workshop).person
    registration_cancel(registration_id=cancelled.pk, by=learner)

    assert relationships_for(learner, [other.pk]) == {other.pk: set()}

    registered(workshop=workshop, person=learner)
    day_cancel(day=slot.day, by=organiser)

    assert relationships_for(learner, [other.pk]) == {other.pk: set()}


@pytest.mark.django_db
@pytest.mark.parametrize("count", [1, 20])
def test_relationships_for_query_count_is_fixed(django_assert_num_queries, learner, slot, count):
    workshop = WorkshopFactory(day=slot.day, starts_at=slot.ends_at, capacity=count + 1)
    registered(workshop=workshop, person=learner)
    others = [registered(workshop=workshop).person for _ in range(count)]

    # paired bookings; the viewer's surgeon days and commitments; everyone else's
    with django_assert_num_queries(5):
        result = relationships_for(learner, [person.pk for person in others])

    assert all(result[person.pk] == {"event"} for person in others)
