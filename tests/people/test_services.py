import pytest
from allauth.account.models import EmailAddress
from axes.models import AccessLog
from django.core import mail
from django.urls import reverse

from people import services
from people.models import AuditEntry, Invitation, Profile
from people.services import account_delete, invitation_accept
from tests.factories import TEST_PASSWORD, InvitationFactory, UserFactory

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


def test_account_delete_person_can_no_longer_log_in(client, full_profile):
    email = full_profile.email
    services.account_delete(person=full_profile)

    response = client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_account_delete_runs_registered_erasure_handlers_in_the_same_transaction(full_profile, monkeypatch):
    seen = []
    monkeypatch.setattr(services, "_erasure_handlers", [])
    services.register_erasure_handler(lambda person: seen.append((person.pk, person.display_name)))

    services.account_delete(person=full_profile)

    assert seen == [(full_profile.pk, full_profile.display_name)]


def test_account_delete_failing_handler_leaves_everything_in_place(full_profile, monkeypatch):
    def broken(person):
        raise RuntimeError("bookings could not be anonymised")

    monkeypatch.setattr(services, "_erasure_handlers", [broken])

    with pytest.raises(RuntimeError):
        services.account_delete(person=full_profile)

    full_profile.refresh_from_db()
    assert full_profile.is_active
    assert Profile.objects.filter(person=full_profile).exists()


def test_account_delete_is_audited_without_content(full_profile):
    services.account_delete(person=full_profile)

    entry = AuditEntry.objects.get(subject=full_profile)
    assert (entry.actor, entry.action, entry.fields) == (None, "erased", ["account"])


def test_audit_record_stores_field_names_never_values(organiser, learner):
    entry = services.audit_record(actor=organiser, subject=learner, action="changed", fields=["bio", "bio"])

    assert entry.fields == ["bio"]


def test_account_delete_removes_log_in_records_kept_under_the_email(client, full_profile):
    email = full_profile.email
    client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})
    assert AccessLog.objects.filter(username=email).exists()

    services.account_delete(person=full_profile)

    assert not AccessLog.objects.filter(username=email).exists()


def test_account_delete_ends_sessions_on_other_devices(client, full_profile):
    client.force_login(full_profile)

    services.account_delete(person=full_profile)

    assert client.get(reverse("people:my_profile")).status_code == 302


def test_profile_update_by_someone_else_is_audited(organiser, learner):
    services.profile_update(person=learner, display_name="Lee", bio="Edited at the desk", actor=organiser)

    entry = AuditEntry.objects.get(subject=learner)
    assert (entry.actor, entry.action, entry.fields) == (organiser, "changed", ["access_needs", "bio", "perspectives"])


def test_account_delete_removes_the_invitation_they_accepted(organisation, organiser):
    joiner = UserFactory(email="joiner@example.org")
    InvitationFactory(organisation=organisation, email="joiner@example.org", invited_by=organiser, token="t" * 40)
    invitation_accept(token="t" * 40, person=joiner)

    account_delete(person=joiner)

    assert not Invitation.objects.filter(email="joiner@example.org").exists()
