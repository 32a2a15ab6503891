"""My data: erasing an account (people/privacy.py)."""

import pytest
from axes.models import AccessLog
from django.urls import reverse

from directory.services import join_request_decline
from people import privacy
from people.models import AuditEntry, Invitation, JoinRequest, Profile, SignInLink
from people.privacy import account_delete
from people.services import invitation_accept, sign_in_link_create
from tests.factories import TEST_PASSWORD, InvitationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_account_delete_person_can_no_longer_log_in(client, full_profile):
    email = full_profile.email
    privacy.account_delete(person=full_profile)

    response = client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_account_delete_runs_registered_erasure_handlers_in_the_same_transaction(full_profile, monkeypatch):
    seen = []
    monkeypatch.setattr(privacy, "_erasure_handlers", [])
    privacy.register_erasure_handler(lambda person: seen.append((person.pk, person.display_name)))

    privacy.account_delete(person=full_profile)

    assert seen == [(full_profile.pk, full_profile.display_name)]


def test_account_delete_failing_handler_leaves_everything_in_place(full_profile, monkeypatch):
    def broken(person):
        raise RuntimeError("bookings could not be anonymised")

    monkeypatch.setattr(privacy, "_erasure_handlers", [broken])

    with pytest.raises(RuntimeError):
        privacy.account_delete(person=full_profile)

    full_profile.refresh_from_db()
    assert full_profile.is_active
    assert Profile.objects.filter(person=full_profile).exists()


def test_account_delete_is_audited_without_content(full_profile):
    privacy.account_delete(person=full_profile)

    entry = AuditEntry.objects.get(subject=full_profile)
    assert (entry.actor, entry.action, entry.fields) == (None, "erased", ["account"])


def test_account_delete_removes_log_in_records_kept_under_the_email(client, full_profile):
    email = full_profile.email
    client.post(reverse("account_login"), {"login": email, "password": TEST_PASSWORD})
    assert AccessLog.objects.filter(username=email).exists()

    privacy.account_delete(person=full_profile)

    assert not AccessLog.objects.filter(username=email).exists()


def test_account_delete_ends_sessions_on_other_devices(client, full_profile):
    client.force_login(full_profile)

    privacy.account_delete(person=full_profile)

    assert client.get(reverse("people:my_profile")).status_code == 302


def test_account_delete_removes_the_invitation_they_accepted(organisation, organiser):
    joiner = UserFactory(email="joiner@example.org")
    InvitationFactory(organisation=organisation, email="joiner@example.org", invited_by=organiser, token="t" * 40)
    invitation_accept(token="t" * 40, person=joiner)

    account_delete(person=joiner)

    assert not Invitation.objects.filter(email="joiner@example.org").exists()


def test_export_has_the_persons_requests_to_join_with_their_message_and_the_answer(organisation, organiser):
    person = UserFactory()
    join_request = JoinRequest.objects.create(organisation=organisation, person=person, message="I know Canva.")
    join_request_decline(
        organisation=organisation, join_request_id=join_request.pk, by=organiser, reason="Full at the moment."
    )

    (exported,) = privacy.account_export(person=person)["requests_to_join"]

    assert (exported["organisation"], exported["message"], exported["status"], exported["reason_given"]) == (
        organisation.name,
        "I know Canva.",
        "Declined",
        "Full at the moment.",
    )


def test_account_delete_removes_requests_to_join_and_forgets_who_answered(organisation, organiser):
    person = UserFactory()
    JoinRequest.objects.create(organisation=organisation, person=person, message="Personal words")
    answered = JoinRequest.objects.create(organisation=organisation, person=UserFactory(), decided_by=organiser)

    account_delete(person=person)
    account_delete(person=organiser)

    assert list(JoinRequest.objects.values_list("pk", "decided_by")) == [(answered.pk, None)]


def test_account_export_includes_the_phone_number_and_the_links_sent(organiser):
    person = UserFactory(phone="+447700900123")
    sign_in_link_create(person=person, created_by=organiser)

    account = privacy.account_export(person=person)["account"]

    assert account["phone"] == "+447700900123"
    assert [link["sent_by"] for link in account["sign_in_links"]] == ["Olu Organiser"]


def test_account_delete_removes_the_phone_number_and_sign_in_links(organiser):
    person = UserFactory(phone="+447700900123")
    sign_in_link_create(person=person, created_by=organiser)

    privacy.account_delete(person=person)

    person.refresh_from_db()
    assert person.phone == ""
    assert not SignInLink.objects.filter(person=person).exists()
