"""Sign up, verify, log in, log out and lockout, through the real allauth views."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.urls import reverse

from people.adapters import client_ip_address
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


def _fail_logins(client, **headers) -> None:
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("account_login"), {"login": "sam@example.org", "password": "wrong"}, **headers)


def test_lockout_behind_the_proxy_leaves_other_visitors_of_the_site_alone(client, settings):
    """Behind the proxy every request arrives from its address; the lockout must follow the real client."""
    settings.BEHIND_TLS_PROXY = True
    UserFactory(email="sam@example.org")
    _fail_logins(client, headers={"x-forwarded-for": "203.0.113.5"})

    locked = client.post(
        reverse("account_login"),
        {"login": "sam@example.org", "password": TEST_PASSWORD},
        headers={"x-forwarded-for": "203.0.113.5"},
    )
    other = client.post(
        reverse("account_login"),
        {"login": "sam@example.org", "password": TEST_PASSWORD},
        headers={"x-forwarded-for": "198.51.100.7"},
    )

    assert locked.status_code == 429
    assert other.status_code == 302


def test_lockout_behind_the_proxy_ignores_addresses_the_client_put_in_front(client, settings):
    settings.BEHIND_TLS_PROXY = True
    UserFactory(email="sam@example.org")
    for n in range(settings.AXES_FAILURE_LIMIT):
        # The proxy appends the real address to whatever the client sent.
        spoofed = {"x-forwarded-for": f"10.0.0.{n}, 203.0.113.5"}
        client.post(reverse("account_login"), {"login": "sam@example.org", "password": "wrong"}, headers=spoofed)

    response = client.post(
        reverse("account_login"),
        {"login": "sam@example.org", "password": TEST_PASSWORD},
        headers={"x-forwarded-for": "10.9.9.9, 203.0.113.5"},
    )

    assert response.status_code == 429


def test_lockout_without_the_proxy_setting_ignores_a_forwarded_header(client, settings):
    settings.BEHIND_TLS_PROXY = False
    UserFactory(email="sam@example.org")
    _fail_logins(client, headers={"x-forwarded-for": "203.0.113.5"})

    response = client.post(
        reverse("account_login"),
        {"login": "sam@example.org", "password": TEST_PASSWORD},
        headers={"x-forwarded-for": "198.51.100.7"},
    )

    assert response.status_code == 429


@pytest.mark.parametrize(
    ("behind_proxy", "proxies", "forwarded", "expected"),
    [
        (False, 1, "203.0.113.5", "127.0.0.1"),
        (True, 1, "203.0.113.5", "203.0.113.5"),
        (True, 1, "1.2.3.4, 203.0.113.5", "203.0.113.5"),
        (True, 2, "1.2.3.4, 203.0.113.5, 10.0.0.2", "203.0.113.5"),
        (True, 2, "203.0.113.5", "127.0.0.1"),
        (True, 1, "", "127.0.0.1"),
        (True, 1, "not-an-address", "127.0.0.1"),
        (True, 1, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_address_trusts_only_what_our_proxies_added(rf, settings, behind_proxy, proxies, forwarded, expected):
    settings.BEHIND_TLS_PROXY, settings.TRUSTED_PROXY_COUNT = behind_proxy, proxies
    request = rf.get("/", headers={"x-forwarded-for": forwarded}, REMOTE_ADDR="127.0.0.1")

    assert client_ip_address(request) == expected


def test_code_of_conduct_page_shows_current_version(client):
    response = client.get(reverse("code_of_conduct"))

    assert response.status_code == 200
    assert f"Version {settings.CODE_OF_CONDUCT_VERSION}" in response.content.decode()
