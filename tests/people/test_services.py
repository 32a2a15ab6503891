import pytest
from allauth.account.models import EmailAddress
from django.core import mail

from people import services
from people.models import AuditEntry
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_email_confirmation_send_mails_an_unverified_address():
    person = UserFactory(verified_email=False)
    address = EmailAddress.objects.create(user=person, email=person.email, verified=False, primary=True)

    sent = services.email_confirmation_send(email_address_id=address.pk, signup=True)

    assert sent is True
    assert [message.to for message in mail.outbox] == [[person.email]]


def test_email_confirmation_send_skips_an_address_already_verified():
    person = UserFactory()
    address = EmailAddress.objects.get(user=person)

    sent = services.email_confirmation_send(email_address_id=address.pk, signup=True)

    assert sent is False
    assert mail.outbox == []


def test_email_confirmation_send_skips_an_address_that_is_gone():
    assert services.email_confirmation_send(email_address_id=987654, signup=False) is False
    assert mail.outbox == []


def test_audit_record_stores_field_names_never_values(organiser, learner):
    entry = services.audit_record(actor=organiser, subject=learner, action="changed", fields=["bio", "bio"])

    assert entry.fields == ["bio"]


def test_profile_update_by_someone_else_is_audited(organiser, learner):
    services.profile_update(person=learner, display_name="Lee", bio="Edited at the desk", actor=organiser)

    entry = AuditEntry.objects.get(subject=learner)
    assert (entry.actor, entry.action, entry.fields) == (organiser, "changed", ["access_needs", "bio", "perspectives"])
