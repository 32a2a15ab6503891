import io
from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from afterday.models import Feedback, WorkshopFeedback
from afterday.notifications import (
    FEEDBACK_REQUEST,
    WORKSHOP_FEEDBACK_REQUEST,
    feedback_requests_schedule,
    workshop_feedback_requests_schedule,
)
from config.celery import app
from outbox.models import Notification
from surgeries.models import SurgeryDay
from surgeries.services import days_finish_ended
from tests.factories import SurgeryDayFactory, day_on, past_day, past_place, past_session, past_workshop
from workshops.models import Workshop


def test_request_is_due_at_ten_the_next_morning_across_the_clock_change(organisation, learner):
    # Saturday 25 October 2025 in Leeds; the clocks go back that night.
    day = day_on(organisation, date(2025, 10, 25))
    past_session(day, learner=learner)

    written = feedback_requests_schedule(now=day.ends_at + timedelta(hours=1))

    assert written == 1
    assert Notification.objects.get(kind=FEEDBACK_REQUEST).due_at == datetime(2025, 10, 26, 10, 0, tzinfo=UTC)


def test_running_the_job_again_asks_once(organisation, learner):
    day = day_on(organisation, date(2025, 6, 14))
    past_session(day, learner=learner)
    now = day.ends_at + timedelta(hours=1)

    feedback_requests_schedule(now=now)
    feedback_requests_schedule(now=now + timedelta(hours=1))

    assert Notification.objects.filter(kind=FEEDBACK_REQUEST).count() == 1


def test_no_request_for_cancelled_days_no_shows_or_long_past_days(organisation):
    cancelled = day_on(organisation, date(2025, 6, 14), status="cancelled")
    past_session(cancelled)
    held = day_on(organisation, date(2025, 6, 14))
    past_session(held, is_no_show=True)
    old = day_on(organisation, date(2025, 6, 1))
    past_session(old)

    assert feedback_requests_schedule(now=held.ends_at + timedelta(hours=1)) == 0


def test_request_email_links_to_the_feedback_page_and_is_dropped_once_answered(organisation, learner, send_due):
    day = day_on(organisation, date(2025, 6, 14), title="Summer surgery")
    first = past_session(day, learner=learner, index=0)
    second = past_session(day, learner=learner, index=1)
    feedback_requests_schedule(now=day.ends_at)
    Feedback.objects.create(day=day, booking=second, author=learner, role="learner", usefulness=4)

    send_due(day.ends_at + timedelta(days=1))

    [email] = mail.outbox
    assert email.subject == "Surgery Day: How was your session at Summer surgery?"
    assert f"/after/sessions/{first.pk}/feedback/" in email.body


def test_request_still_goes_once_the_hourly_job_has_finished_the_day(organisation, learner, send_due):
    day = day_on(organisation, date(2025, 6, 14), title="Summer surgery")
    past_session(day, learner=learner)
    feedback_requests_schedule(now=day.ends_at)

    days_finish_ended(now=day.ends_at + timedelta(hours=1))
    send_due(day.ends_at + timedelta(days=1))

    assert SurgeryDay.objects.get(pk=day.pk).status == SurgeryDay.Status.FINISHED
    [email] = mail.outbox
    assert email.to == [learner.email]
    assert email.subject == "Surgery Day: How was your session at Summer surgery?"


def test_embedded_scheduler_runs_the_feedback_job_from_the_beat_schedule(organisation, learner, monkeypatch):
    yesterday = timezone.now() - timedelta(days=1)
    day = SurgeryDayFactory(organisation=organisation, starts_at=yesterday - timedelta(hours=5), ends_at=yesterday)
    past_session(day, learner=learner)

    def stop(_seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr("outbox.management.commands.run_scheduler.time.sleep", stop)
    monkeypatch.setattr("outbox.management.commands.run_scheduler.close_old_connections", lambda: None)
    call_command("run_scheduler", "--interval", "1", stdout=io.StringIO())

    assert list(Notification.objects.filter(kind=FEEDBACK_REQUEST).values_list("recipient_id", flat=True)) == [
        learner.pk
    ]


@pytest.mark.parametrize(
    ("late", "sent", "state", "reason"),
    [
        (timedelta(days=3) - timedelta(minutes=1), 1, Notification.State.SENT, ""),
        (timedelta(days=3) + timedelta(minutes=1), 0, Notification.State.CANCELLED, "too late to send"),
    ],
)
def test_request_after_a_long_outage_goes_only_within_its_limit(
    organisation, learner, send_due, late, sent, state, reason
):
    day = day_on(organisation, date(2025, 6, 14))
    past_session(day, learner=learner)
    feedback_requests_schedule(now=day.ends_at)
    row = Notification.objects.get(kind=FEEDBACK_REQUEST)

    # The scheduler was down; the first sweep runs this long after the request was due.
    send_due(row.due_at + late)

    row.refresh_from_db()
    assert (len(mail.outbox), row.state, row.last_error) == (sent, state, reason)


# --- Workshops ----------------------------------------------------------------

# The morning-after request to rate workshops: one message per person and day.


def test_one_request_per_person_and_day_due_at_ten_the_next_morning_after_the_clock_change(organisation, learner):
    # Saturday 25 October 2025 in Leeds; the clocks go back that night.
    day = day_on(organisation, date(2025, 10, 25))
    for index in range(3):
        past_place(past_workshop(day, index=index), learner)
    now = day.ends_at + timedelta(hours=1)

    assert workshop_feedback_requests_schedule(now=now) == 1
    workshop_feedback_requests_schedule(now=now + timedelta(hours=1))

    (request,) = Notification.objects.filter(kind=WORKSHOP_FEEDBACK_REQUEST)
    assert (request.recipient_id, request.due_at) == (learner.pk, datetime(2025, 10, 26, 10, 0, tzinfo=UTC))


def test_nobody_is_asked_about_workshops_they_missed_or_that_did_not_happen(organisation):
    held = day_on(organisation, date(2025, 6, 14))
    past_place(past_workshop(held), is_no_show=True)
    past_place(past_workshop(held, index=1, status=Workshop.Status.CANCELLED))
    cancelled_day = day_on(organisation, date(2025, 6, 14), status="cancelled")
    past_place(past_workshop(cancelled_day))
    long_ago = day_on(organisation, date(2025, 6, 1))
    past_place(past_workshop(long_ago))

    assert workshop_feedback_requests_schedule(now=held.ends_at + timedelta(hours=1)) == 0


def test_the_email_lists_only_workshops_still_to_rate(organisation, learner, send_due):
    day = day_on(organisation, date(2025, 6, 14), title="Summer surgery")
    rated = past_place(past_workshop(day, title="Blogging basics"), learner)
    unrated = past_place(past_workshop(day, title="Podcasting", index=1), learner)
    workshop_feedback_requests_schedule(now=day.ends_at)
    WorkshopFeedback.objects.create(registration=rated, workshop=rated.workshop, author=learner, usefulness=5)

    send_due(day.ends_at + timedelta(days=1))

    [email] = mail.outbox
    assert email.subject == "Surgery Day: How were the workshops at Summer surgery?"
    assert f"/my-workshops/{unrated.pk}/feedback/" in email.body
    assert "Podcasting" in email.body
    assert "Blogging basics" not in email.body


def test_no_email_once_every_workshop_is_rated(organisation, learner, send_due):
    day = day_on(organisation, date(2025, 6, 14))
    place = past_place(past_workshop(day), learner)
    workshop_feedback_requests_schedule(now=day.ends_at)
    WorkshopFeedback.objects.create(registration=place, workshop=place.workshop, author=learner, usefulness=3)

    send_due(day.ends_at + timedelta(days=1))

    assert mail.outbox == []


def test_one_job_in_the_beat_schedule_asks_about_sessions_and_workshops():
    tasks = [entry["task"] for entry in app.conf.beat_schedule.values()]

    assert tasks.count("surgeries.feedback_requests") == 1
    assert "workshops.feedback_requests" not in tasks
    # The former workshops-only job stays registered for messages queued under its name.
    assert "workshops.feedback_requests" in app.tasks


@pytest.mark.parametrize("task", ["surgeries.feedback_requests", "workshops.feedback_requests"])
def test_the_hourly_job_asks_learners_and_workshop_participants(organisation, learner, surgeon, task):
    day = past_day(organisation, days_ago=1)
    past_session(day, learner=learner)
    past_place(past_workshop(day), surgeon)

    written = app.tasks[task].delay().get()

    assert written == 2
    kinds = set(Notification.objects.values_list("kind", "recipient_id"))
    assert kinds == {(FEEDBACK_REQUEST, learner.pk), (WORKSHOP_FEEDBACK_REQUEST, surgeon.pk)}


def test_a_did_not_come_mark_added_between_runs_does_not_send_a_second_request(organisation, learner, send_due):
    day = day_on(organisation, date(2025, 6, 14))
    first = past_place(past_workshop(day, title="Blogging basics"), learner)
    past_place(past_workshop(day, title="Podcasting", index=1), learner)
    workshop_feedback_requests_schedule(now=day.ends_at + timedelta(minutes=5))
    first.is_no_show = True
    first.save(update_fields=["is_no_show"])

    workshop_feedback_requests_schedule(now=day.ends_at + timedelta(hours=1, minutes=5))
    send_due(day.ends_at + timedelta(days=1))

    [email] = mail.outbox
    assert "Podcasting" in email.body
    assert "Blogging basics" not in email.body


def test_the_request_links_to_the_email_settings_where_it_can_be_turned_off(organisation, learner, send_due, settings):
    day = day_on(organisation, date(2025, 6, 14))
    past_place(past_workshop(day), learner)
    workshop_feedback_requests_schedule(now=day.ends_at)

    send_due(day.ends_at + timedelta(days=1))

    [email] = mail.outbox
    html = email.alternatives[0][0]
    assert f"{settings.SITE_URL}/account/emails/" in email.body
    assert f'<a href="{settings.SITE_URL}/account/emails/"' in html
    assert "your email settings</a>" in html
