"""The verification email task through a real Celery worker and a real Redis broker."""

import time

import pytest
from allauth.account.models import EmailAddress
from celery.contrib.testing.worker import start_worker
from django.conf import settings
from django.core import mail

from config.celery import app
from people.tasks import send_email_confirmation
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.redis,
    pytest.mark.skipif(not settings.REDIS_URL, reason="set REDIS_URL to run a real worker against Redis"),
]


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
