"""People's jobs: the verification email through a real Celery worker and a real Redis broker, and audit retention."""

import time
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from celery.contrib.testing.worker import start_worker
from django.core import mail
from django.utils import timezone

from config.celery import app
from people.models import AuditEntry
from people.tasks import audit_retention, send_email_confirmation
from tests.factories import UserFactory
from tests.markers import needs_redis

pytestmark = pytest.mark.django_db


@pytest.mark.redis
@needs_redis
@pytest.mark.django_db(transaction=True)
def test_real_worker_sends_the_verification_email_through_redis():
    person = UserFactory(verified_email=False)
    address = EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
        send_email_confirmation.delay(email_address_id=address.pk, signup=True)
        _wait_for_outbox()

    assert [message.to for message in mail.outbox] == [[person.email]]


def _wait_for_outbox(timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not mail.outbox and time.monotonic() < deadline:
        time.sleep(0.05)


def test_old_audit_entries_are_deleted_after_the_retention_period(organiser, learner, settings):
    settings.AUDIT_RETENTION_DAYS = 365
    now = timezone.now()
    old = AuditEntry.objects.create(
        actor=organiser, subject=learner, action="viewed", created_at=now - timedelta(days=366)
    )
    kept = AuditEntry.objects.create(
        actor=organiser, subject=learner, action="viewed", created_at=now - timedelta(days=364)
    )

    assert audit_retention.delay().get() == 1
    assert not AuditEntry.objects.filter(pk=old.pk).exists()
    assert AuditEntry.objects.filter(pk=kept.pk).exists()


def test_audit_retention_is_in_the_one_beat_schedule():
    assert "people.audit_retention" in {entry["task"] for entry in app.conf.beat_schedule.values()}
