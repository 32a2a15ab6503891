"""Participants' feedback and "did not come" marks: who may, and when."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone

from afterday.models import WorkshopFeedback
from afterday.services import day_personal_data_purge, registration_mark_no_show, retention_run, workshop_feedback_give
from config.celery import app as celery_app
from config.celery import schedule_periodic_tasks
from surgeries import errors as surgery_errors
from surgeries.models import Booking, DayAggregate, SurgeryDay
from tests.factories import MembershipFactory, UserFactory, past_day, past_place, past_session, past_workshop
from workshops import errors
from workshops.models import Registration, Workshop


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
        with pytest.raises(surgery_errors.NotAllowed):
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

    with pytest.raises(surgery_errors.NotAllowed):
        workshop_feedback_give(registration_id=place.pk, by=learner, usefulness=5)


def test_an_invalid_score_saves_nothing(place, learner):
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
        with pytest.raises(surgery_errors.NotAllowed):
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


# --- Retention ----------------------------------------------------------------


def _day_with_private_data(organisation, days_ago):
    day = past_day(organisation, days_ago=days_ago)
    past_session(day, index=0, is_no_show=True, note="I use a wheelchair")
    past_session(day, index=1, note="")
    return day


def test_old_days_lose_no_show_marks_and_notes_but_keep_counts(organisation, settings):
    settings.RETENTION_DAYS = 30
    day = _day_with_private_data(organisation, days_ago=31)

    purged = retention_run()

    assert purged == 1
    assert list(Booking.objects.filter(day=day).values_list("is_no_show", "note")) == [(False, ""), (False, "")]
    snapshot = DayAggregate.objects.get(day=day)
    assert (snapshot.sessions_held, snapshot.people_helped) == (1, 1)


def test_recent_days_are_left_alone(organisation, settings):
    settings.RETENTION_DAYS = 30
    day = _day_with_private_data(organisation, days_ago=10)

    assert retention_run() == 0
    assert Booking.objects.filter(day=day, is_no_show=True).count() == 1


def test_retention_days_setting_is_read_each_run(organisation, settings):
    _day_with_private_data(organisation, days_ago=10)
    settings.RETENTION_DAYS = 5

    assert retention_run() == 1


def test_a_day_is_purged_once(organisation, settings):
    settings.RETENTION_DAYS = 1
    day = _day_with_private_data(organisation, days_ago=5)
    retention_run()
    Booking.objects.filter(day=day).update(is_no_show=True)  # marked again later by hand

    assert day_personal_data_purge(day_id=day.pk) is None
    assert DayAggregate.objects.filter(day=day).count() == 1


def test_retention_clears_the_days_workshop_did_not_come_marks_too(organisation, settings):
    settings.RETENTION_DAYS = 30
    old = past_day(organisation, days_ago=31)
    recent = past_day(organisation, days_ago=3)
    old_mark = past_place(past_workshop(old), is_no_show=True)
    recent_mark = past_place(past_workshop(recent), is_no_show=True)

    retention_run()

    assert Registration.objects.get(pk=old_mark.pk).is_no_show is False
    assert Registration.objects.get(pk=recent_mark.pk).is_no_show is True
    assert Workshop.objects.get(pk=old_mark.workshop_id).attended_snapshot == 0


def test_management_command_and_celery_task_run_the_same_job(organisation, settings, capsys):
    settings.RETENTION_DAYS = 1
    _day_with_private_data(organisation, days_ago=5)
    second = _day_with_private_data(organisation, days_ago=6)

    call_command("purge_after_day_data")
    second.ends_at = timezone.now() - timedelta(days=3)
    second.save()
    Booking.objects.filter(day=second).update(is_no_show=True)
    DayAggregate.objects.filter(day=second).delete()
    result = celery_app.tasks["surgeries.retention"].delay().get()

    assert "Purged short-lived personal data of 2 surgery day(s)." in capsys.readouterr().out
    assert result == 1


def test_beat_schedule_holds_the_after_the_day_jobs():
    added = []

    class Recorder:
        def add_periodic_task(self, every, sig, name, **kwargs):
            added.append((name, sig.task, every))

    schedule_periodic_tasks(Recorder())

    assert ("after-day-retention", "surgeries.retention", timedelta(hours=24)) in added
    assert ("feedback-requests", "surgeries.feedback_requests", timedelta(hours=1)) in added


def test_organisers_notes_go_with_the_other_short_lived_data(organisation, settings):
    settings.RETENTION_DAYS = 30
    day = past_day(organisation, days_ago=31)
    kept = past_session(day, index=0, organiser_note="Bring a large-print sheet")
    recent = past_session(past_day(organisation, days_ago=3), organiser_note="Needs the lift")

    retention_run()

    assert Booking.objects.get(pk=kept.pk).organiser_note == ""
    assert Booking.objects.get(pk=recent.pk).organiser_note == "Needs the lift"
