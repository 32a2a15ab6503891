"""The morning-after request to rate workshops: one message per person and day."""

from datetime import UTC, date, datetime, timedelta

from django.core import mail

from outbox.models import Notification
from tests.surgeries.afterday_helpers import day_on
from tests.workshops.afterday_helpers import past_place, past_workshop
from workshops.feedback_requests import FEEDBACK_REQUEST, workshop_feedback_requests_schedule
from workshops.models import Workshop, WorkshopFeedback


def test_one_request_per_person_and_day_due_at_ten_the_next_morning_after_the_clock_change(organisation, learner):
    # Saturday 25 October 2025 in Leeds; the clocks go back that night.
    day = day_on(organisation, date(2025, 10, 25))
    for index in range(3):
        past_place(past_workshop(day, index=index), learner)
    now = day.ends_at + timedelta(hours=1)

    assert workshop_feedback_requests_schedule(now=now) == 1
    workshop_feedback_requests_schedule(now=now + timedelta(hours=1))

    (request,) = Notification.objects.filter(kind=FEEDBACK_REQUEST)
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


def test_the_job_is_in_the_one_beat_schedule():
    from config.celery import app

    tasks = {entry["task"] for entry in app.conf.beat_schedule.values()}

    assert "workshops.feedback_requests" in tasks
    assert "workshops.feedback_requests" in app.tasks


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
