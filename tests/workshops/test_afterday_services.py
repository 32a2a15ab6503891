"""Participants' feedback and "did not come" marks: who may, and when."""

from datetime import timedelta

import pytest
from django.utils import timezone

from surgeries.models import SurgeryDay
from tests.factories import MembershipFactory, UserFactory
from tests.surgeries.afterday_helpers import past_day
from tests.workshops.afterday_helpers import past_place, past_workshop
from workshops import errors
from workshops.models import Registration, Workshop, WorkshopFeedback
from workshops.services.afterday import registration_mark_no_show, workshop_feedback_give


@pytest.fixture
def place(organisation, learner, surgeon):
    return past_place(past_workshop(past_day(organisation), facilitator=surgeon), learner)


def test_a_participant_rates_a_workshop_and_can_change_their_answer(place, learner):
    workshop_feedback_give(registration_id=place.pk, by=learner, usefulness=2, comment="  Too quick  ")
    workshop_feedback_give(
        registration_id=place.pk,
        by=learner,
        usefulness=4,
        comment="Better on reflection",
        comment_audience=WorkshopFeedback.CommentAudience.FACILITATORS,
    )

    feedback = WorkshopFeedback.objects.get()
    assert (feedback.usefulness, feedback.comment, feedback.comment_audience) == (
        4,
        "Better on reflection",
        "facilitators",
    )
    assert feedback.workshop_id == place.workshop_id


def test_nobody_else_can_rate_someone_elses_place(place, surgeon, stranger):
    for person in (surgeon, stranger):
        with pytest.raises(errors.NotAllowed):
            workshop_feedback_give(registration_id=place.pk, by=person, usefulness=5)
    assert WorkshopFeedback.objects.count() == 0


def test_no_feedback_before_the_workshop_starts(organisation, learner):
    day = past_day(organisation, days_ago=-3, status=SurgeryDay.Status.PUBLISHED)
    place = past_place(past_workshop(day), learner)

    with pytest.raises(errors.WorkshopError, match="once the workshop has started"):
        workshop_feedback_give(registration_id=place.pk, by=learner, usefulness=5)


@pytest.mark.parametrize(
    "change",
    [
        {"registration": {"status": Registration.Status.CANCELLED}},
        {"workshop": {"status": Workshop.Status.CANCELLED}},
        {"day": {"status": SurgeryDay.Status.CANCELLED}},
    ],
)
def test_no_feedback_on_places_or_workshops_that_did_not_happen(place, learner, change):
    Registration.objects.filter(pk=place.pk).update(**change.get("registration", {}))
    Workshop.objects.filter(pk=place.workshop_id).update(**change.get("workshop", {}))
    SurgeryDay.objects.filter(pk=place.workshop.day_id).update(**change.get("day", {}))

    with pytest.raises(errors.NotAllowed):
        workshop_feedback_give(registration_id=place.pk, by=learner, usefulness=5)


def test_an_invalid_score_saves_nothing(place, learner):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        workshop_feedback_give(registration_id=place.pk, by=learner, usefulness=9)
    assert WorkshopFeedback.objects.count() == 0


def test_the_facilitator_and_an_organiser_can_mark_and_clear_did_not_come(place, surgeon, organiser):
    registration_mark_no_show(registration_id=place.pk, by=surgeon)
    assert Registration.objects.get(pk=place.pk).is_no_show

    registration_mark_no_show(registration_id=place.pk, by=organiser, no_show=False)
    assert not Registration.objects.get(pk=place.pk).is_no_show


def test_others_cannot_mark_attendance(place, learner, stranger, other_organiser, organisation):
    other_facilitator = UserFactory()
    MembershipFactory(organisation=organisation, person=other_facilitator)
    past_workshop(place.workshop.day, facilitator=other_facilitator, index=2)
    for person in (learner, stranger, other_organiser, other_facilitator):
        with pytest.raises(errors.NotAllowed):
            registration_mark_no_show(registration_id=place.pk, by=person)
    assert not Registration.objects.get(pk=place.pk).is_no_show


def test_attendance_waits_for_the_start_and_stops_once_counted(place, surgeon):
    with pytest.raises(errors.WorkshopError, match="once the workshop has started"):
        registration_mark_no_show(
            registration_id=place.pk, by=surgeon, now=place.workshop.starts_at - timedelta(minutes=1)
        )
    Workshop.objects.filter(pk=place.workshop_id).update(attended_snapshot=1)

    with pytest.raises(errors.WorkshopError, match="counted and the marks deleted"):
        registration_mark_no_show(registration_id=place.pk, by=surgeon, now=timezone.now())
