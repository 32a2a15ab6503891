"""Sign up, verify, log in, log out and lockout, through the real allauth views."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse

from people.models import User
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

SIGNUP_DATA = {
    "email": "new.person@example.org",
    "display_name": "Robin",
    "password1": "bright-kettle-harbour-77",
    "password2": "bright-kettle-harbour-77",
    "accept_code_of_conduct": "on",
}


def test_signup_records_code_of_conduct_version_and_time(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_signup"), SIGNUP_DATA)

    assert response.status_code == 302
    person = User.objects.get(email="new.person@example.org")
    assert person.display_name == "Robin"
    assert person.code_of_conduct_version == settings.CODE_OF_CONDUCT_VERSION
    assert person.code_of_conduct_accepted_at is not None


def test_signup_without_code_of_conduct_shows_message_and_saves_nothing(client):
    data = {**SIGNUP_DATA, "accept_code_of_conduct": ""}

    response = client.post(reverse("account_signup"), data)

    assert response.status_code == 200
    assert "You need to agree to the code of conduct to join." in response.content.decode()
    assert not User.objects.filter(email="new.person@example.org").exists()


def test_signup_sends_verification_mail_only_after_commit(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        client.post(reverse("account_signup"), SIGNUP_DATA)
    assert mail.outbox == []
    assert len(callbacks) == 1

    callbacks[0]()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.person@example.org"]
    assert message.subject == "[Surgery Day] Please confirm your email address"
    assert f"{settings.SITE_URL}/accounts/confirm-email/" in message.body


def test_verification_link_marks_address_verified(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("account_signup"), SIGNUP_DATA)
    link = re.search(r"/accounts/confirm-email/[^/\s]+/", mail.outbox[0].body).group(0)

    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new.person@example.org").verified is True


def test_login_with_email_and_password(client):
    person = UserFactory(email="sam@example.org")

    response = client.post(reverse("account_login"), {"login": "sam@example.org", "password": TEST_PASSWORD})

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(person.pk)


def test_wrong_password_is_refused_with_a_message(client):
    UserFactory(email="sam@example.org")

    response = client.post(reverse("account_login"), {"login": "sam@example.org", "password": "wrong"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_logout_ends_the_session(client):
    person = UserFactory()
    client.force_login(person)

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_repeated_wrong_passwords_lock_the_account_from_that_address(client):
    UserFactory(email="sam@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": "sam@example.org", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "sam@example.org", "password": TEST_PASSWORD})

    assert response.status_code == 429
    assert "Too many attempts to log in" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_lockout_of_one_account_leaves_others_on_the_same_computer_alone(client):
    UserFactory(email="sam@example.org")
    UserFactory(email="alex@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": "sam@example.org", "password": "wrong"})

    response = client.post(reverse("account_login"), {"login": "alex@example.org", "password": TEST_PASSWORD})

    assert response.status_code == 302


def test_code_of_conduct_page_shows_current_version(client):
    response = client.get(reverse("code_of_conduct"))

    assert response.status_code == 200
    assert f"Version {settings.CODE_OF_CONDUCT_VERSION}" in response.content.decode()
