import pytest
from django.conf import settings
from django.test import Client

from demo.bench.load import cookie_header, sessions_for
from tests.factories import UserFactory


@pytest.mark.django_db
def test_sessions_for_signs_people_in_with_the_given_key(settings):
    person = UserFactory()
    keys = sessions_for([person.pk], secret_key="bench-" + "k" * 50)
    settings.SECRET_KEY = "bench-" + "k" * 50
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = keys[person.pk]

    response = client.get("/bookings/")

    assert (response.status_code, response.wsgi_request.user) == (200, person)


@pytest.mark.django_db
def test_a_session_signed_with_another_key_is_not_signed_in():
    person = UserFactory()
    keys = sessions_for([person.pk], secret_key="another-" + "k" * 50)
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = keys[person.pk]

    assert client.get("/bookings/").status_code == 302


def test_cookie_header_sends_the_session_and_the_csrf_secret():
    assert cookie_header("abc", "xyz") == f"{settings.SESSION_COOKIE_NAME}=abc; {settings.CSRF_COOKIE_NAME}=xyz"
