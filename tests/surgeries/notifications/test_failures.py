"""Failed messages reach the day's organisers as one short digest, never as private data."""

import smtplib
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.db import transaction
from django.utils import timezone

from outbox.models import Notification
from outbox.services import notification_schedule
from people.models import Membership
from surgeries.notifications import DAY_REMINDER, FAILURE_DIGEST, HOUR_BEFORE
from surgeries.notifications.failures import DIGEST_DELAY
from tests.factories import MembershipFactory, SurgeryDayFactory, UserFactory, booked_slot
from tests.mail import mail_to

pytestmark = pytest.mark.django_db

State = Notification.State


@pytest.fixture
def refuse_mail_to(monkeypatch):
    """The mail server permanently refuses these addresses and accepts the rest."""
    refused: set[str] = set()
    real_send = EmailBackend.send_messages

    def send_messages(self, messages):
        for message in messages:
            if set(message.to) & refused:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return real_send(self, messages)

    monkeypatch.setattr(EmailBackend, "send_messages", send_messages)
    return refused


def _failing_messages(day, *people, kind=DAY_REMINDER, slot=HOUR_BEFORE):
    for person in people:
        notification_schedule(kind=kind, recipient=person, subject=day, slot=slot, due_at=timezone.now())


def test_failures_send_each_organiser_one_digest_with_counts_and_a_link_only(learner, send_due, refuse_mail_to):
    other = UserFactory(display_name="Sam Private", email="sam.private@example.org")
    refuse_mail_to.update({learner.email, other.email})
    with transaction.atomic():
        booking = booked_slot(learner=learner, note="Something private")
    day = booking.day
    organiser = UserFactory()
    MembershipFactory(organisation=day.organisation, person=organiser, role=Membership.Role.ORGANISER)
    _failing_messages(day, learner, other)
    send_due()

    send_due(timezone.now() + DIGEST_DELAY)
    send_due(timezone.now() + DIGEST_DELAY * 2)

    (digest,) = mail_to(organiser)
    text = digest.body + digest.alternatives[0][0]
    assert digest.subject.startswith(f"Surgery Day: 3 messages not sent: {day.title} on ")
    assert "- Booking confirmation: 1\n- Day reminder: 2" in digest.body
    assert f"/days/{day.pk}/notifications/" in digest.body
    for private in (learner.email, learner.display_name, other.email, other.display_name, "550", "Something private"):
        assert private not in text
    assert Notification.objects.filter(kind=FAILURE_DIGEST).count() == 1


def test_only_organisers_of_the_days_organisation_get_the_digest(
    organisation, organiser, learner, send_due, refuse_mail_to
):
    elsewhere = UserFactory()
    MembershipFactory(person=elsewhere, role=Membership.Role.ORGANISER)
    day = SurgeryDayFactory(organisation=organisation)
    refuse_mail_to.add(learner.email)
    _failing_messages(day, learner)
    send_due()

    send_due(timezone.now() + DIGEST_DELAY)

    assert [m.to for m in mail.outbox] == [[organiser.email]]


def test_more_failures_the_same_day_wait_for_the_next_days_digest(
    organisation, organiser, learner, send_due, refuse_mail_to
):
    day = SurgeryDayFactory(organisation=organisation)
    refuse_mail_to.add(learner.email)
    _failing_messages(day, learner)
    send_due()
    first_sent_at = timezone.now() + DIGEST_DELAY
    send_due(first_sent_at)

    _failing_messages(day, learner, slot="later-that-day")
    send_due(first_sent_at + timedelta(hours=1))
    send_due(first_sent_at + timedelta(hours=20))
    assert len(mail_to(organiser)) == 1
    send_due(first_sent_at + timedelta(days=1))

    assert len(mail_to(organiser)) == 2
    assert sorted(Notification.objects.filter(kind=FAILURE_DIGEST).values_list("state", flat=True)) == [
        State.SENT,
        State.SENT,
    ]


def test_a_failing_digest_reports_nothing_about_itself(organisation, organiser, learner, send_due, refuse_mail_to):
    day = SurgeryDayFactory(organisation=organisation)
    refuse_mail_to.update({learner.email, organiser.email})
    _failing_messages(day, learner)
    send_due()

    send_due(timezone.now() + DIGEST_DELAY)
    send_due(timezone.now() + timedelta(days=2))

    assert list(Notification.objects.filter(kind=FAILURE_DIGEST).values_list("state", flat=True)) == [State.FAILED]
    assert mail.outbox == []
