"""Surgery-day messages: due times across the clock changes, and what the emails say."""

from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace

import pytest
import time_machine
from django.core import mail
from django.template.loader import render_to_string
from django.utils import timezone

from outbox.models import Notification
from outbox.sweep import send_inline, sweep_due
from surgeries.models import SurgeryDay
from surgeries.notifications import (
    DAY_REMINDER,
    EVENING_BEFORE,
    HOUR_BEFORE,
    day_cancellation_notify,
    day_reminders_schedule,
)
from tests.factories import SurgeryDayFactory, local_datetime

pytestmark = pytest.mark.django_db

State = Notification.State


def _sweep_at(moment, capture):
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return sweep_due(dispatch=send_inline)


@pytest.mark.parametrize(
    ("day_date", "reminder_utc", "says"),
    [
        # Clocks go forward at 01:00 UTC on Sunday 29 March 2026: the eve is GMT, the day BST.
        (date(2026, 3, 29), datetime(2026, 3, 28, 18, 0, tzinfo=UTC), "Sunday 29 March 2026, 10:00 BST"),
        # Clocks go back at 01:00 UTC on Sunday 25 October 2026: the eve is BST, the day GMT.
        (date(2026, 10, 25), datetime(2026, 10, 24, 17, 0, tzinfo=UTC), "Sunday 25 October 2026, 10:00 GMT"),
    ],
)
def test_evening_reminder_across_clock_change_lands_at_local_six_pm(
    learner, django_capture_on_commit_callbacks, day_date, reminder_utc, says
):
    with time_machine.travel(reminder_utc - timedelta(days=3), tick=False):
        day = SurgeryDayFactory(starts_at=local_datetime(day_date, 10), ends_at=local_datetime(day_date, 15))
        (row,) = day_reminders_schedule(day=day, recipients=[learner], slots=[EVENING_BEFORE])

    early = _sweep_at(reminder_utc - timedelta(seconds=1), django_capture_on_commit_callbacks)
    on_time = _sweep_at(reminder_utc, django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    html = message.alternatives[0][0]
    assert row.due_at == reminder_utc
    assert (early, on_time) == (0, 1)
    assert message.subject == f"Surgery Day: Reminder: {day.title}, {says}"
    assert "10:00 " + says[-3:] + " to 15:00 " + says[-3:] in message.body
    assert says.rsplit(", ", 1)[1] in html


@pytest.mark.parametrize(
    ("day_date", "reminder_utc"),
    [
        (date(2026, 3, 29), datetime(2026, 3, 29, 8, 0, tzinfo=UTC)),
        (date(2026, 10, 25), datetime(2026, 10, 25, 9, 0, tzinfo=UTC)),
    ],
)
def test_hour_before_reminder_on_a_clock_change_day(learner, day_date, reminder_utc):
    with time_machine.travel(reminder_utc - timedelta(days=3), tick=False):
        day = SurgeryDayFactory(starts_at=local_datetime(day_date, 10), ends_at=local_datetime(day_date, 15))
        (row,) = day_reminders_schedule(day=day, recipients=[learner], slots=[HOUR_BEFORE])

    assert row.due_at == reminder_utc


def test_reminder_email_is_accessible_html_with_plain_text_twin(learner, django_capture_on_commit_callbacks):
    day = SurgeryDayFactory(
        title="Winter surgery",
        starts_at=local_datetime(date(2031, 1, 14), 10),
        ends_at=local_datetime(date(2031, 1, 14), 15),
    )
    day_reminders_schedule(day=day, recipients=[learner], slots=[HOUR_BEFORE])

    _sweep_at(day.starts_at - timedelta(hours=1), django_capture_on_commit_callbacks)

    (message,) = mail.outbox
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert '<html lang="en-GB">' in html
    assert "<h1" in html
    assert "<img" not in html
    assert "Tuesday 14 January 2031, 10:00 GMT to 15:00 GMT" in message.body
    assert "&amp;" not in message.body
    assert message.extra_headers["Auto-Submitted"] == "auto-generated"


def test_cancelling_a_day_stops_reminders_and_sends_the_notice(learner, surgeon, django_capture_on_commit_callbacks):
    # Soon enough that the notice, swept when the day would have started, is within its week.
    day = SurgeryDayFactory(starts_at=local_datetime(timezone.now().date() + timedelta(days=3), 10))
    day_reminders_schedule(day=day, recipients=[learner, surgeon], slots=[HOUR_BEFORE])

    with django_capture_on_commit_callbacks(execute=True):
        day.status = SurgeryDay.Status.CANCELLED
        day.save()
        day_cancellation_notify(day=day, recipients=[learner, surgeon])
    _sweep_at(day.starts_at, django_capture_on_commit_callbacks)

    assert sorted(message.to[0] for message in mail.outbox) == sorted([learner.email, surgeon.email])
    assert all(message.subject.startswith("Surgery Day: Cancelled:") for message in mail.outbox)
    reminders = Notification.objects.filter(kind=DAY_REMINDER)
    assert set(reminders.values_list("state", "last_error")) == {(State.CANCELLED, "day cancelled")}


def test_cancellation_notice_is_dropped_if_the_day_is_restored(learner, django_capture_on_commit_callbacks):
    day = SurgeryDayFactory(status=SurgeryDay.Status.CANCELLED)
    day_cancellation_notify(day=day, recipients=[learner])
    SurgeryDay.objects.filter(pk=day.pk).update(status=SurgeryDay.Status.PUBLISHED)

    with django_capture_on_commit_callbacks(execute=True):
        sweep_due(dispatch=send_inline)

    assert mail.outbox == []


@pytest.mark.parametrize("template", ["day_reminder", "surgeon_reminder"])
@pytest.mark.django_db
def test_reminders_of_an_online_day_say_online_and_give_no_address_or_link(template, organisation, learner):
    day = SurgeryDayFactory(organisation=organisation, mode=SurgeryDay.Mode.ONLINE)
    SurgeryDay.objects.filter(pk=day.pk).update(online_link="https://meet.example.org/day-room")
    day.refresh_from_db()
    first = SimpleNamespace(slot=SimpleNamespace(starts_at=day.starts_at))
    context = {"day": day, "venue": day.venue, "zone": day.time_zone, "recipient": learner, "first": first}
    context["meets_online"] = day.sessions_online(surgeon_online=False)  # as the surgeons' context says

    bodies = [render_to_string(f"emails/{template}/body.{kind}", context) for kind in ("txt", "html")]

    for body in bodies:
        assert "online, by video call" in body.lower()
        assert "1 High Street" not in body and "meet.example.org" not in body
