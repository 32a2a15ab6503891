"""Upgrading a database made while after the day's models belonged to surgeries and workshops."""

import pytest
from django.contrib.contenttypes.models import ContentType

from afterday.models import Feedback, SessionNote, WorkshopFeedback
from tests.factories import past_day, past_place, past_session, past_workshop
from tests.migrations import migrate_to, migrate_to_latest

BEFORE_THE_MOVE = [
    ("surgeries", "0009_matchmaking_moved_to_its_app"),
    ("workshops", "0003_workshop_calendar_sequence"),
    ("afterday", None),
]


@pytest.mark.django_db(transaction=True)
def test_feedback_and_notes_made_before_the_move_are_read_through_the_afterday_app(organisation, learner, surgeon):
    day = past_day(organisation)
    booking = past_session(day, surgeon=surgeon, learner=learner)
    place = past_place(past_workshop(day), learner)
    old_types = {model: ContentType.objects.get_for_model(model).pk for model in (Feedback, WorkshopFeedback)}
    executor = migrate_to(BEFORE_THE_MOVE)
    old_apps = executor.loader.project_state(BEFORE_THE_MOVE[:2]).apps
    old_feedback = old_apps.get_model("surgeries", "Feedback").objects.create(
        day_id=day.pk, booking_id=booking.pk, author_id=learner.pk, role="learner", usefulness=4, comment="Clear"
    )
    old_note = old_apps.get_model("surgeries", "SessionNote").objects.create(
        booking_id=booking.pk, text="Try the privacy checklist", written_by_id=surgeon.pk
    )
    old_rating = old_apps.get_model("workshops", "WorkshopFeedback").objects.create(
        registration_id=place.pk, workshop_id=place.workshop_id, author_id=learner.pk, usefulness=5
    )
    # Databases made before the move hold surgeries' and workshops' content type rows for these models.
    ContentType.objects.filter(pk=old_types[Feedback]).update(app_label="surgeries")
    ContentType.objects.filter(pk=old_types[WorkshopFeedback]).update(app_label="workshops")

    migrate_to_latest()

    feedback = Feedback.objects.get(pk=old_feedback.pk)
    assert (feedback.booking_id, feedback.author_id, feedback.usefulness, feedback.comment) == (
        booking.pk,
        learner.pk,
        4,
        "Clear",
    )
    assert SessionNote.objects.get(pk=old_note.pk).text == "Try the privacy checklist"
    assert WorkshopFeedback.objects.get(pk=old_rating.pk).registration_id == place.pk
    ContentType.objects.clear_cache()
    assert ContentType.objects.get_for_model(Feedback).pk == old_types[Feedback]
    assert ContentType.objects.get_for_model(WorkshopFeedback).pk == old_types[WorkshopFeedback]
    assert not ContentType.objects.filter(app_label__in=["surgeries", "workshops"], model__contains="feedback").exists()
