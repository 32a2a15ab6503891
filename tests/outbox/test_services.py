"""The outbox: scheduling, sweeping, sending, retrying and giving up."""

import io
import smtplib
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from outbox import delivery
from outbox.models import Notification
from outbox.registry import UnknownNotificationKind
from outbox.services import (
    notification_preference_set,
    notification_schedule,
    notifications_cancel_for,
    notifications_reschedule_for,
)
from outbox.sweep import send_inline, sweep_due
from outbox.tasks import send_notification, sweep_notifications
from people.privacy import account_delete
from surgeries.models import SurgeryDay
from surgeries.notifications import DAY_CANCELLED, DAY_REMINDER, HOUR_BEFORE
from tests.factories import SurgeryDayFactory, UserFactory

pytestmark = pytest.mark.django_db

State = Notification.State


def _remind(day, recipient, *, due_at=None, slot=HOUR_BEFORE):
    return notification_schedule(
        kind=DAY_REMINDER, recipient=recipient, subject=day, slot=slot, due_at=due_at or timezone.now()
    )


def _claimed(dispatched):
    return lambda ids, token: dispatched.append((ids, token))


@pytest.fixture
def claim_one(django_capture_on_commit_callbacks):
    """Claim the one due row as a sweep would, keeping its token instead of sending."""

    def claim(*, now=None):
        dispatched = []
        with django_capture_on_commit_callbacks(execute=True):
            sweep_due(dispatch=_claimed(dispatched), now=now or timezone.now())
        assert len(dispatched) == 1, "expected exactly one claim"
        return dispatched[0][1]

    return claim


def test_schedule_rolled_back_leaves_nothing_to_send(learner):
    day = SurgeryDayFactory()

    with pytest.raises(RuntimeError), transaction.atomic():
        _remind(day, learner)
        raise RuntimeError("the booking failed")
    sweep_due(dispatch=send_inline)

    assert Notification.objects.count() == 0
    assert mail.outbox == []


def test_sweep_after_commit_queues_exactly_once(learner, django_capture_on_commit_callbacks):
    row = _remind(SurgeryDayFactory(), learner)

    with django_capture_on_commit_callbacks(execute=True) as first:
        sweep_due(dispatch=send_inline)
    with django_capture_on_commit_callbacks(execute=True) as second:
        sweep_due(dispatch=send_inline)

    row.refresh_from_db()
    assert (len(first), len(second)) == (1, 0)
    assert len(mail.outbox) == 1
    assert (row.state, row.attempts) == (State.SENT, 1)


def test_sweep_through_celery_task_sends_once(learner, django_capture_on_commit_callbacks):
    _remind(SurgeryDayFactory(), learner)

    with django_capture_on_commit_callbacks(execute=True):
        sweep_notifications.delay()

    assert [message.to for message in mail.outbox] == [[learner.email]]
    assert mail.outbox[0].extra_headers["Message-ID"].startswith("<notification.")


def test_schedule_twice_keeps_one_row_and_moves_it(learner):
    day = SurgeryDayFactory()
    later = timezone.now() + timedelta(hours=3)

    first = _remind(day, learner)
    second = _remind(day, learner, due_at=later)

    assert Notification.objects.count() == 1
    assert first.pk == second.pk
    assert Notification.objects.get().due_at == later


def test_schedule_computes_due_time_from_the_kind(learner):
    day = SurgeryDayFactory()

    row = notification_schedule(kind=DAY_REMINDER, recipient=learner, subject=day, slot=HOUR_BEFORE)

    assert row.due_at == day.starts_at - timedelta(hours=1)
    assert (row.scope_type.model, row.scope_id) == ("surgeryday", day.pk)


def test_sent_row_is_never_resent_even_if_scheduled_again(learner, django_capture_on_commit_callbacks):
    day = SurgeryDayFactory()
    _remind(day, learner)
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due(dispatch=send_inline)

    _remind(day, learner)
    with django_capture_on_commit_callbacks(execute=True):
        claimed = sweep_due(dispatch=send_inline)

    assert claimed == 0
    assert len(mail.outbox) == 1
    assert Notification.objects.get().state == State.SENT


def test_cancelled_rows_are_not_swept(learner, django_capture_on_commit_callbacks):
    day = SurgeryDayFactory()
    _remind(day, learner)

    cancelled = notifications_cancel_for(subject=day, reason="day cancelled")
    with django_capture_on_commit_callbacks(execute=True):
        claimed = sweep_due(dispatch=send_inline)

    assert (cancelled, claimed) == (1, 0)
    assert mail.outbox == []


def test_subject_cancelled_after_claim_gets_nothing(learner, django_capture_on_commit_callbacks):
    # The cancellation raced the sweep: the row was claimed before the day's rows were cancelled.
    day = SurgeryDayFactory()
    row = _remind(day, learner)
    dispatched = []
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due(dispatch=_claimed(dispatched))
    SurgeryDay.objects.filter(pk=day.pk).update(status=SurgeryDay.Status.CANCELLED)

    outcome = delivery.notification_deliver(notification_id=row.pk, claim_token=dispatched[0][1])

    row.refresh_from_db()
    assert outcome.status == "cancelled"
    assert (row.state, row.last_error) == (State.CANCELLED, "subject no longer live")
    assert mail.outbox == []


def test_lapsed_lease_makes_a_stuck_row_due_again(learner, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATION_LEASE_SECONDS = 60
    row = _remind(SurgeryDayFactory(), learner)
    dead_worker, second_worker = [], []
    now = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due(dispatch=_claimed(dead_worker), now=now)
        still_leased = sweep_due(dispatch=_claimed(second_worker), now=now + timedelta(seconds=59))
        reclaimed = sweep_due(dispatch=_claimed(second_worker), now=now + timedelta(seconds=61))

    old_claim = delivery.notification_deliver(notification_id=row.pk, claim_token=dead_worker[0][1])
    new_claim = delivery.notification_deliver(notification_id=row.pk, claim_token=second_worker[0][1])

    assert (still_leased, reclaimed) == (0, 1)
    assert (old_claim.status, new_claim.status) == ("skipped", "sent")
    assert len(mail.outbox) == 1


def test_transient_smtp_error_retries_with_backoff_then_sends(learner, settings, monkeypatch, claim_one):
    settings.NOTIFICATION_RETRY_SECONDS = 30
    row = _remind(SurgeryDayFactory(), learner)
    _fail_smtp(monkeypatch, smtplib.SMTPServerDisconnected("gone"), times=2)
    now = timezone.now()

    outcomes = []
    for seconds in (0, 31, 92):
        token = claim_one(now=now + timedelta(seconds=seconds))
        outcomes.append(delivery.notification_deliver(notification_id=row.pk, claim_token=token, now=now))

    row.refresh_from_db()
    assert [(o.status, o.retry_in) for o in outcomes] == [("retry", 30), ("retry", 60), ("sent", 0)]
    assert (row.state, row.attempts, row.last_error) == (State.SENT, 3, "")
    assert len(mail.outbox) == 1


def test_transient_error_past_the_give_up_window_marks_failed(learner, settings, monkeypatch, claim_one):
    settings.NOTIFICATION_GIVE_UP_SECONDS = 3600
    row = _remind(SurgeryDayFactory(), learner)
    _fail_smtp(monkeypatch, smtplib.SMTPConnectError(421, b"try later"))
    late = row.due_at + timedelta(seconds=3601)

    outcome = delivery.notification_deliver(notification_id=row.pk, claim_token=claim_one(now=late), now=late)

    row.refresh_from_db()
    assert outcome.status == "failed"
    assert (row.state, row.last_error) == (State.FAILED, "SMTPConnectError 421")


def test_reminder_past_its_kinds_limit_is_cancelled_not_sent(learner, claim_one):
    day = SurgeryDayFactory(
        starts_at=timezone.now() + timedelta(days=2), ends_at=timezone.now() + timedelta(days=2, hours=4)
    )
    row = _remind(day, learner)
    late = row.due_at + timedelta(hours=2, seconds=1)

    outcome = delivery.notification_deliver(notification_id=row.pk, claim_token=claim_one(now=late), now=late)

    row.refresh_from_db()
    assert (outcome.status, row.state, row.last_error, mail.outbox) == (
        "cancelled",
        State.CANCELLED,
        "too late to send",
        [],
    )


def test_reminder_still_failing_past_its_kinds_limit_is_failed_and_reported(learner, monkeypatch, claim_one):
    """A mail outage longer than a reminder's two hours is a failure organisers hear about,
    not a quiet cancellation."""
    reported = []
    monkeypatch.setattr(delivery, "failure_listeners", lambda: [reported.append])
    day = SurgeryDayFactory(
        starts_at=timezone.now() + timedelta(days=2), ends_at=timezone.now() + timedelta(days=2, hours=4)
    )
    row = _remind(day, learner)
    _fail_smtp(monkeypatch, smtplib.SMTPServerDisconnected("gone"), times=10)
    first = delivery.notification_deliver(notification_id=row.pk, claim_token=claim_one(now=row.due_at), now=row.due_at)
    late = row.due_at + timedelta(hours=2, seconds=1)

    retried = delivery.notification_deliver(notification_id=row.pk, claim_token=claim_one(now=late), now=late)

    row.refresh_from_db()
    assert (first.status, retried.status) == ("retry", "failed")
    assert (row.state, row.last_error, [n.pk for n in reported]) == (
        State.FAILED,
        "SMTPServerDisconnected",
        [row.pk],
    )


def test_superseded_claim_neither_fails_the_row_nor_reports_it(learner, settings, monkeypatch, claim_one):
    settings.NOTIFICATION_GIVE_UP_SECONDS = 60
    reported = []
    monkeypatch.setattr(delivery, "failure_listeners", lambda: [reported.append])
    row = _remind(SurgeryDayFactory(), learner)
    token = claim_one()
    late = row.due_at + timedelta(seconds=61)

    def send_while_claim_is_superseded(notification):
        Notification.objects.filter(pk=row.pk).update(claim_token=uuid.uuid4())
        raise smtplib.SMTPServerDisconnected("gone")

    monkeypatch.setattr(delivery, "_send", send_while_claim_is_superseded)

    outcome = delivery.notification_deliver(notification_id=row.pk, claim_token=token, now=late)

    row.refresh_from_db()
    assert (outcome.status, row.state, reported) == ("failed", State.SENDING, [])


def test_permanent_refusal_fails_at_once_without_quoting_the_address(learner, monkeypatch, claim_one):
    row = _remind(SurgeryDayFactory(), learner)
    _fail_smtp(monkeypatch, smtplib.SMTPRecipientsRefused({learner.email: (550, b"no such user")}))

    delivery.notification_deliver(notification_id=row.pk, claim_token=claim_one())

    row.refresh_from_db()
    assert (row.state, row.last_error) == (State.FAILED, "SMTPRecipientsRefused 550")


def test_eager_task_does_not_spin_on_retry(learner, monkeypatch, claim_one):
    row = _remind(SurgeryDayFactory(), learner)
    _fail_smtp(monkeypatch, TimeoutError())

    result = send_notification.delay(notification_id=row.pk, claim_token=str(claim_one()))

    row.refresh_from_db()
    assert result.get() == "retry"
    assert (row.state, row.attempts, row.last_error) == (State.SENDING, 1, "TimeoutError")


def test_turned_off_non_essential_skips_reminders_but_not_cancellations(learner, django_capture_on_commit_callbacks):
    day = SurgeryDayFactory(status=SurgeryDay.Status.CANCELLED)
    notification_preference_set(person=learner, non_essential_enabled=False)
    reminder = _remind(day, learner)
    notification_schedule(kind=DAY_CANCELLED, recipient=learner, subject=day, due_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        sweep_due(dispatch=send_inline)

    reminder.refresh_from_db()
    assert [message.subject.startswith("Surgery Day: Cancelled:") for message in mail.outbox] == [True]
    assert reminder.state == State.CANCELLED


def test_turned_off_non_essential_skips_a_live_reminder(learner, django_capture_on_commit_callbacks):
    notification_preference_set(person=learner, non_essential_enabled=False)
    reminder = _remind(SurgeryDayFactory(), learner)

    with django_capture_on_commit_callbacks(execute=True):
        sweep_due(dispatch=send_inline)

    reminder.refresh_from_db()
    assert (reminder.state, reminder.last_error) == (State.CANCELLED, "recipient turned off non-essential messages")
    assert mail.outbox == []


def test_reschedule_follows_the_day_when_it_moves(learner):
    day = SurgeryDayFactory()
    row = notification_schedule(kind=DAY_REMINDER, recipient=learner, subject=day, slot=HOUR_BEFORE)
    day.starts_at += timedelta(hours=2)
    day.ends_at += timedelta(hours=2)
    day.save()

    changed = notifications_reschedule_for(subject=day)

    row.refresh_from_db()
    assert changed == 1
    assert row.due_at == day.starts_at - timedelta(hours=1)


def test_send_due_notifications_command_sends_what_is_due(learner, django_capture_on_commit_callbacks):
    day = SurgeryDayFactory()
    _remind(day, learner)
    _remind(day, UserFactory(), due_at=timezone.now() + timedelta(hours=1))

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_due_notifications", stdout=io.StringIO())

    assert [message.to for message in mail.outbox] == [[learner.email]]


def test_run_scheduler_sweeps_until_interrupted(learner, monkeypatch, django_capture_on_commit_callbacks):
    _remind(SurgeryDayFactory(), learner)

    def stop(_seconds):
        raise KeyboardInterrupt

    monkeypatch.setattr("outbox.management.commands.run_scheduler.time.sleep", stop)
    # The test's own transaction holds the connection; the loop must not drop it here.
    monkeypatch.setattr("outbox.management.commands.run_scheduler.close_old_connections", lambda: None)
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--interval", "1", stdout=io.StringIO())

    assert len(mail.outbox) == 1


def _fail_smtp(monkeypatch, error, *, times=None):
    real_send = EmailBackend.send_messages
    calls = {"count": 0}

    def send_messages(self, messages):
        calls["count"] += 1
        if times is None or calls["count"] <= times:
            raise error
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)


def test_cancelled_row_comes_back_when_scheduled_again(learner):
    day = SurgeryDayFactory()
    row = _remind(day, learner)
    notifications_cancel_for(subject=day)

    again = _remind(day, learner)

    assert (again.pk, again.state) == (row.pk, State.PENDING)


def test_row_cancelled_mid_send_is_not_revived_while_its_sender_may_still_hold_it(learner, claim_one):
    day = SurgeryDayFactory()
    row = _remind(day, learner)
    claim_one()
    notifications_cancel_for(subject=day)

    again = _remind(day, learner)

    assert (again.pk, again.state) == (row.pk, State.CANCELLED)


def test_misspelt_kind_fails_when_scheduling(learner):
    with pytest.raises(UnknownNotificationKind):
        notification_schedule(kind="surgeries.day_remindr", recipient=learner, subject=SurgeryDayFactory())


def test_account_delete_drops_unsent_notifications_and_keeps_sent_ones():
    person = UserFactory()
    day = SurgeryDayFactory()
    pending = _remind(day, person, slot=HOUR_BEFORE, due_at=day.starts_at)
    sent = _remind(day, person, slot="day-before", due_at=day.starts_at)
    Notification.objects.filter(pk=sent.pk).update(state=State.SENT, sent_at=timezone.now())

    account_delete(person=person)

    assert list(Notification.objects.filter(recipient=person).values_list("pk", flat=True)) == [sent.pk]
    assert not Notification.objects.filter(pk=pending.pk).exists()
