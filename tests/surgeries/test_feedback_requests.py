from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail

from outbox.models import Notification
from surgeries.afterday_notifications import FEEDBACK_REQUEST, feedback_requests_schedule
from surgeries.models import Feedback, SurgeryDay
from surgeries.services import days_finish_ended
from tests.factories import SurgeryDayFactory
from tests.surgeries.afterday_helpers import day_on, past_session


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
    import io

    from django.core.management import call_command
    from django.utils import timezone

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
