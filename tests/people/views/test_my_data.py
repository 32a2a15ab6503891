"""The My data pages: export my data, delete my account, and who has looked at my details."""

import json
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from people import privacy, services
from people.models import AuditEntry, PersonPerspective, Profile, TopicOffer, TopicWant, User
from tests.factories import TEST_PASSWORD, ProfileFactory

pytestmark = pytest.mark.django_db


def test_data_export_downloads_everything_about_me(client, full_profile, organiser):
    services.audit_record(actor=organiser, subject=full_profile, action="viewed", fields=["bio"])
    client.force_login(full_profile)

    response = client.get(reverse("people:data_export"))

    assert response["Content-Disposition"].startswith('attachment; filename="surgery-day-my-data-')
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["account"]["email"] == full_profile.email
    assert data["profile"]["bio"] == "About me"
    assert data["profile"]["access_needs"] == ["British Sign Language interpreter"]
    assert data["perspectives"] == [
        {"perspective": "Lived experience of mental health difficulties", "visible_to": "People I am paired with"}
    ]
    assert data["topics_offered"][0]["topic"] == "Blogging"
    assert data["topics_wanted"][0]["topic"] == "Podcasts"
    assert data["memberships"][0]["organisation"] == "Leeds Mental Health Social Media Surgery"
    assert data["audit_log"][0]["who"] == organiser.display_name


def test_data_export_includes_sections_other_apps_register(client, learner, monkeypatch):
    monkeypatch.setattr(privacy, "_export_sections", {})
    privacy.register_export_section("bookings", lambda person: [{"slot": "10:00", "person": person.pk}])
    client.force_login(learner)

    data = json.loads(client.get(reverse("people:data_export")).content)

    assert data["bookings"] == [{"slot": "10:00", "person": learner.pk}]


def test_data_export_contains_only_my_data(client, full_profile, surgeon):
    ProfileFactory(person=surgeon, bio="Surgeon's own bio")
    client.force_login(full_profile)

    body = client.get(reverse("people:data_export")).content.decode()

    assert "Surgeon's own bio" not in body


def test_account_delete_scrubs_the_account_and_removes_special_category_data(client, full_profile):
    person_id = full_profile.pk
    client.force_login(full_profile)

    response = client.post(reverse("people:account_delete"), {"password": TEST_PASSWORD})

    assert response.status_code == 302
    person = User.objects.get(pk=person_id)
    assert person.display_name == "Former member"
    assert person.email.endswith("@erased.invalid")
    assert not person.is_active
    assert not person.has_usable_password()
    for model in (Profile, PersonPerspective, TopicOffer, TopicWant):
        assert not model.objects.filter(person_id=person_id).exists()
    assert not EmailAddress.objects.filter(user_id=person_id).exists()
    assert "_auth_user_id" not in client.session


def test_account_delete_keeps_memberships_so_counts_stay_right(client, organisation, full_profile):
    client.force_login(full_profile)

    client.post(reverse("people:account_delete"), {"password": TEST_PASSWORD})

    assert organisation.memberships.filter(person_id=full_profile.pk).exists()


def test_account_delete_wrong_password_shows_message_and_deletes_nothing(client, full_profile):
    client.force_login(full_profile)

    response = client.post(reverse("people:account_delete"), {"password": "not-my-password"})

    assert response.status_code == 200
    assert "That password is not right. Please try again." in response.content.decode()
    full_profile.refresh_from_db()
    assert full_profile.is_active
    assert Profile.objects.filter(person=full_profile).exists()


def test_account_delete_pauses_after_too_many_wrong_passwords_until_the_cool_off_ends(client, full_profile):
    client.force_login(full_profile)
    url = reverse("people:account_delete")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"password": "a-guess"})

    refused = client.post(url, {"password": TEST_PASSWORD})

    assert refused.status_code == 429
    page = refused.content.decode()
    assert "Too many wrong passwords" in page
    assert "Your account has not been deleted." in page
    full_profile.refresh_from_db()
    assert full_profile.is_active
    with time_machine.travel(timezone.now() + settings.AXES_COOLOFF_TIME + timedelta(minutes=1)):
        deleted = client.post(url, {"password": TEST_PASSWORD})
    assert deleted.status_code == 302
    full_profile.refresh_from_db()
    assert not full_profile.is_active


def test_account_delete_wrong_passwords_count_towards_the_log_in_lockout(client, full_profile):
    """Guessing on the delete form must not be a way around the log-in limit."""
    client.force_login(full_profile)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("people:account_delete"), {"password": "a-guess"})
    client.logout()

    response = client.post(reverse("account_login"), {"login": full_profile.email, "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_my_audit_shows_who_viewed_my_details(client, organiser, learner):
    services.audit_record(actor=organiser, subject=learner, action="viewed", fields=["perspectives", "bio"])
    client.force_login(learner)

    page = client.get(reverse("people:my_audit")).content.decode()

    assert organiser.display_name in page
    assert "bio, perspectives" in page


@pytest.mark.parametrize("count", [1, 120])
def test_my_audit_query_count_is_constant(client, django_assert_num_queries, organiser, learner, count):
    for _ in range(count):
        services.audit_record(actor=organiser, subject=learner, action="viewed", fields=["bio"])
    client.force_login(learner)

    with django_assert_num_queries(5):
        response = client.get(reverse("people:my_audit"))

    assert response.content.decode().count("<td>Viewed</td>") == min(count, 50)


def test_my_audit_pages_from_newest_to_oldest(client, organiser, learner):
    for age in range(55):
        AuditEntry.objects.create(
            actor=organiser,
            subject=learner,
            action="viewed",
            fields=["bio"],
            created_at=timezone.now() - timedelta(days=age),
        )
    oldest = AuditEntry.objects.filter(subject=learner).order_by("created_at").first()
    AuditEntry.objects.filter(pk=oldest.pk).update(action="changed")
    client.force_login(learner)

    first = client.get(reverse("people:my_audit")).content.decode()
    second = client.get(reverse("people:my_audit"), {"page": "2"}).content.decode()
    beyond = client.get(reverse("people:my_audit"), {"page": "99"}).content.decode()

    assert "Page 1 of 2." in first and 'rel="next">Older entries</a>' in first
    assert "<td>Changed</td>" not in first
    assert "Page 2 of 2." in second and 'rel="prev">Newer entries</a>' in second
    assert second.count("<td>Viewed</td>") + second.count("<td>Changed</td>") == 5
    assert "<td>Changed</td>" in second
    assert "Page 2 of 2." in beyond
