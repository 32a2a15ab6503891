"""A worker refuses tasks queued against another database instead of skipping them quietly."""

import logging
import uuid

import pytest
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.utils import timezone

from config.celery import DATABASE_HEADER, app, name_the_database
from outbox import delivery
from outbox.models import Notification
from outbox.services import notification_schedule
from outbox.sweep import sweep_due
from outbox.tasks import send_notification
from people.selectors import database_identity
from surgeries.notifications import DAY_REMINDER, HOUR_BEFORE
from tests.factories import SurgeryDayFactory
from tests.workers import wait_for

FOREIGN = "00000000-0000-4000-8000-000000000000"


@pytest.fixture
def claimed(learner, django_capture_on_commit_callbacks):
    """One reminder claimed by a sweep, with the token its sender needs."""
    row = notification_schedule(
        kind=DAY_REMINDER, recipient=learner, subject=SurgeryDayFactory(), slot=HOUR_BEFORE, due_at=timezone.now()
    )
    tokens = []
    with django_capture_on_commit_callbacks(execute=True):
        sweep_due(dispatch=lambda ids, token: tokens.append(token))
    return row, str(tokens[0])


@pytest.mark.django_db
def test_database_has_an_identity():
    assert uuid.UUID(database_identity()).version == 4


@pytest.mark.django_db
def test_published_message_names_the_database():
    headers = {}

    name_the_database(headers=headers)

    assert headers == {DATABASE_HEADER: database_identity()}


@pytest.mark.django_db
def test_task_from_another_database_is_refused_and_logged(claimed, caplog, mailoutbox):
    row, token = claimed

    with caplog.at_level(logging.ERROR, logger="config.celery"):
        result = send_notification.apply(
            kwargs={"notification_id": row.pk, "claim_token": token}, headers={DATABASE_HEADER: FOREIGN}
        )

    row.refresh_from_db()
    assert result.state == "REJECTED"
    assert (row.state, row.attempts) == (Notification.State.SENDING, 0)
    assert mailoutbox == []
    message = caplog.records[0].getMessage()
    assert caplog.records[0].levelname == "ERROR"
    assert FOREIGN in message
    assert database_identity() in message


@pytest.mark.django_db
def test_task_from_this_database_runs(claimed, mailoutbox):
    row, token = claimed

    result = send_notification.apply(
        kwargs={"notification_id": row.pk, "claim_token": token}, headers={DATABASE_HEADER: database_identity()}
    )

    assert result.get() == "sent"
    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_task_without_the_header_runs(claimed, mailoutbox):
    row, token = claimed

    send_notification.delay(notification_id=row.pk, claim_token=token)

    assert len(mailoutbox) == 1


@pytest.mark.django_db
def test_sending_a_notification_that_does_not_exist_warns(caplog):
    with caplog.at_level(logging.INFO, logger="outbox.delivery"):
        outcome = delivery.notification_deliver(notification_id=987654, claim_token=uuid.uuid4())

    assert outcome.status == "missing"
    assert [record.levelname for record in caplog.records] == ["WARNING"]
    assert "does not exist in this database" in caplog.records[0].getMessage()


@pytest.mark.django_db
def test_sending_a_notification_claimed_by_someone_else_is_quiet(claimed, caplog):
    row, _ = claimed

    with caplog.at_level(logging.INFO, logger="outbox.delivery"):
        outcome = delivery.notification_deliver(notification_id=row.pk, claim_token=uuid.uuid4())

    assert outcome.status == "skipped"
    assert [record.levelname for record in caplog.records] == ["INFO"]


@pytest.mark.redis
@pytest.mark.skipif(not settings.REDIS_URL, reason="set REDIS_URL to run a real worker against Redis")
@pytest.mark.django_db(transaction=True)
def test_real_worker_refuses_a_message_from_another_database(claimed, mailoutbox):
    row, token = claimed
    refusals = Recorder()
    logging.getLogger("config.celery").addHandler(refusals)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            send_notification.apply_async(
                kwargs={"notification_id": row.pk, "claim_token": token}, headers={DATABASE_HEADER: FOREIGN}
            )
            wait_for(lambda: refusals.messages, timeout=20, what="the worker refusing the message")
            untouched = Notification.objects.values_list("state", "attempts").get(pk=row.pk)
            send_notification.delay(notification_id=row.pk, claim_token=token)
            wait_for(lambda: mailoutbox, timeout=20, what="the worker sending the message")
    finally:
        logging.getLogger("config.celery").removeHandler(refusals)

    row.refresh_from_db()
    assert "refused" in refusals.messages[0]
    assert untouched == (Notification.State.SENDING, 0)
    assert (row.state, row.attempts) == (Notification.State.SENT, 1)


class Recorder(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.messages = []

    def emit(self, record):
        self.messages.append(record.getMessage())
