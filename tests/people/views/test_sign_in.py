"""The one-time sign-in link sent to someone an organiser booked for."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from people.models import SignInLink
from people.services import SIGN_IN_LINK_LIFETIME, sign_in_link_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _link(organiser, **person_fields):
    person = UserFactory(**person_fields)
    person.set_unusable_password()
    person.save()
    _, token = sign_in_link_create(person=person, created_by=organiser)
    return person, reverse("people:sign_in_link", args=[token])


def test_opening_the_link_only_shows_a_button_and_signs_no_one_in(client, organiser):
    _, url = _link(organiser)

    response = client.get(url)

    assert response.status_code == 200
    assert "Sign in" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert SignInLink.objects.get().used_at is None


def test_the_link_signs_the_person_in_once(client, organiser):
    person, url = _link(organiser)

    first = client.post(url)
    signed_in_as = client.session.get("_auth_user_id")
    client.logout()
    second = client.post(url)

    assert first.status_code == 302
    assert signed_in_as == str(person.pk)
    assert second.status_code == 410
    assert "_auth_user_id" not in client.session


def test_an_expired_link_signs_no_one_in(client, organiser):
    _, url = _link(organiser)

    with time_machine.travel(timezone.now() + SIGN_IN_LINK_LIFETIME + timedelta(minutes=1)):
        response = client.post(url)

    assert response.status_code == 410
    assert "has expired" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("token", ["nonsense", "x" * 43])
def test_an_unknown_link_signs_no_one_in(client, token):
    url = reverse("people:sign_in_link", args=[token])

    assert client.get(url).status_code == 410
    assert client.post(url).status_code == 410
    assert "_auth_user_id" not in client.session


def test_only_the_hash_of_the_token_is_stored(organiser):
    person = UserFactory()

    link, token = sign_in_link_create(person=person, created_by=organiser)

    assert token not in link.token_hash
    assert len(link.token_hash) == 64


def test_the_link_of_an_erased_or_deactivated_account_does_not_work(client, organiser):
    person, url = _link(organiser)
    person.is_active = False
    person.save()

    assert client.post(url).status_code == 410
