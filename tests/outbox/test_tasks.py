"""Slow mail and big backlogs: the sweep, essential messages and retries keep moving."""

from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.utils import timezone

from config.celery import app
from outbox import delivery
from outbox.models import Notification
from outbox.services import notification_schedule
from outbox.sweep import sweep_due
from outbox.tasks import queue_sends, send_notification, sweep_notifications, sweep_soon
from surgeries.models import SurgeryDay
from surgeries.notifications import DAY_CANCELLED, DAY_REMINDER
from tests.factories import SurgeryDayFactory, UserFactory

pytestmark = pytest.mark.django_db

State = Notification.State


def _reminder(person, *, due_at=None, slot="test"):
    day = SurgeryDayFactory()
    return notification_schedule(
        kind=DAY_REMINDER, recipient=person, subject=day, slot=slot, due_at=due_at or timezone.now()
    )


def _notice(person):
    day = SurgeryDayFactory(status=SurgeryDay.Status.CANCELLED)
    return notification_schedule(kind=DAY_CANCELLED, recipient=person, subject=day, due_at=timezone.now())


def _claim(batch_size=200):
    claimed = []
    sweep_due(dispatch=lambda ids, token: claimed.append((ids, token)), batch_size=batch_size)
    return claimed


def test_sweep_task_and_sends_have_their_own_queues():
    route = app.amqp.router.route

    assert route({}, "people.notifications.sweep")["queue"].name == "notifications-sweep"
    assert route({}, "people.notifications.send")["queue"].name == "notifications"
    assert route({}, "surgeries.retention")["queue"].name == "celery"


def test_essential_first_attempts_are_queued_ahead_of_reminders(monkeypatch, django_capture_on_commit_callbacks):
    person = UserFactory()
    reminder, notice = _reminder(person), _notice(person)
    queued = {}
    monkeypatch.setattr(
        send_notification, "apply_async", lambda kwargs, queue: queued.update({kwargs["notification_id"]: queue})
    )

    with django_capture_on_commit_callbacks(execute=True):
        sweep_due(dispatch=queue_sends)

    assert queued == {reminder.pk: "notifications", notice.pk: "notifications-urgent"}


def test_sweep_claims_a_fresh_essential_message_before_an_older_backlog(django_capture_on_commit_callbacks):
    person = UserFactory()
    backlog = [_reminder(person, due_at=timezone.now() - timedelta(minutes=n), slot=f"old-{n}") for n in range(5)]
    notice = _notice(person)

    with django_capture_on_commit_callbacks(execute=True):
        claimed = _claim(batch_size=2)

    assert claimed[0][0][0] == notice.pk
    assert sorted(pk for ids, _ in claimed for pk in ids) == sorted([notice.pk] + [row.pk for row in backlog])


def test_retry_goes_to_the_retry_queue(monkeypatch, django_capture_on_commit_callbacks):
    row = _reminder(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        claimed = _claim()
    ((_, token),) = claimed
    monkeypatch.setattr(EmailBackend, "send_messages", _raise(TimeoutError()))
    retried = {}

    def retry(**options):
        retried.update(options)
        return RuntimeError("retry")

    monkeypatch.setattr(send_notification, "retry", retry)
    send_notification.push_request(is_eager=False)
    try:
        with pytest.raises(RuntimeError):
            send_notification.run(notification_id=row.pk, claim_token=str(token))
    finally:
        send_notification.pop_request()

    assert retried["queue"] == "notifications-retry"


def test_a_timeout_backs_off_the_domain_without_holding_up_others(
    settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.NOTIFICATION_DOMAIN_BACKOFF_SECONDS = 120
    slow = [UserFactory(email=f"person{n}@stalled.example") for n in range(2)]
    healthy = UserFactory(email="someone@healthy.example")
    rows = [_reminder(slow[0], slot="a"), _reminder(slow[1], slot="b"), _reminder(healthy, slot="c")]
    attempts = []
    real_send = EmailBackend.send_messages

    def send_messages(self, messages):
        attempts.append(messages[0].to[0])
        if messages[0].to[0].endswith("@stalled.example"):
            raise TimeoutError()
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    with django_capture_on_commit_callbacks(execute=True):
        claimed = _claim()
    ((ids, token),) = claimed

    outcomes = {pk: delivery.notification_deliver(notification_id=pk, claim_token=token) for pk in ids}

    assert attempts == [slow[0].email, healthy.email]
    assert [(outcomes[row.pk].status, outcomes[row.pk].retry_in) for row in rows] == [
        ("retry", 30),
        ("retry", 120),
        ("sent", 0),
    ]
    assert Notification.objects.get(pk=rows[1].pk).last_error == "RecipientDomainSlow"


def test_notification_mail_uses_the_short_smtp_timeout(settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_SMTP_TIMEOUT = 3
    row = _reminder(UserFactory())
    timeouts = []
    real_get_connection = delivery.get_connection

    def get_connection(**kwargs):
        timeouts.append(kwargs.get("timeout"))
        return real_get_connection(**kwargs)

    monkeypatch.setattr(delivery, "get_connection", get_connection)
    with django_capture_on_commit_callbacks(execute=True):
        claimed = _claim()
    ((_, token),) = claimed

    assert delivery.notification_deliver(notification_id=row.pk, claim_token=token).status == "sent"
    assert timeouts == [3]


def _raise(error):
    def send_messages(self, messages):
        raise error

    return send_messages


def test_sweep_soon_sends_due_rows_at_once(learner, django_capture_on_commit_callbacks):
    _reminder(learner)

    with django_capture_on_commit_callbacks(execute=True):
        sweep_soon()

    assert [message.to for message in mail.outbox] == [[learner.email]]


def test_sweep_soon_with_the_broker_away_leaves_the_row_to_the_periodic_sweep(learner, monkeypatch, caplog):
    def broker_away():
        raise ConnectionError("broker away")

    monkeypatch.setattr(sweep_notifications, "delay", broker_away)
    row = _reminder(learner)

    sweep_soon()

    row.refresh_from_db()
    assert (row.state, len(mail.outbox)) == (State.PENDING, 0)
    assert "Could not queue an early notification sweep" in caplog.text
