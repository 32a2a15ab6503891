"""Visitors' copies of the public day page and the programme: kept whole, never mixed
up with a signed-in person's page, and changed at once by a booking."""

from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from surgeries.models import SurgeryDay
from tests.factories import DaySurgeonFactory, SlotFactory, booked_slot

pytestmark = pytest.mark.django_db

PAGES = ["surgeries:day_detail", "surgeries:programme"]


def _url(name: str, day, query: str = "") -> str:
    return reverse(name, args=[day.pk]) + query


@pytest.mark.parametrize("name", PAGES)
def test_a_visitor_gets_the_kept_page_without_a_query_and_with_its_headers(
    client, django_assert_num_queries, day, slot, name
):
    first = client.get(_url(name, day))

    with django_assert_num_queries(0):
        kept = client.get(_url(name, day))

    assert kept.status_code == 200
    assert kept.content == first.content
    assert "Cookie" in kept["Vary"]
    assert kept["X-Content-Type-Options"] == "nosniff"
    assert kept["X-Frame-Options"] == first["X-Frame-Options"]
    assert kept["Content-Security-Policy"] == first["Content-Security-Policy"]
    assert "csrfmiddlewaretoken" not in kept.content.decode()


def test_a_booking_changes_the_visitors_page_at_once(client, day, slot, learner):
    SlotFactory(day_surgeon=slot.day_surgeon, starts_at=slot.starts_at + timedelta(minutes=30))
    assert "2 free sessions" in client.get(_url("surgeries:day_detail", day)).content.decode()

    booked_slot(slot=slot, learner=learner)

    assert "1 free session." in client.get(_url("surgeries:day_detail", day)).content.decode()


@pytest.mark.parametrize("name", PAGES)
def test_a_signed_in_persons_page_never_reaches_a_visitor(client, day, slot, learner, name):
    client.force_login(learner)
    assert "Signed in as" in client.get(_url(name, day)).content.decode()

    page = Client().get(_url(name, day)).content.decode()

    assert "Signed in as" not in page
    assert "Log in" in page


@pytest.mark.parametrize("name", PAGES)
def test_a_visitors_page_never_reaches_a_signed_in_person(client, day, slot, learner, name):
    assert "Signed in as" not in Client().get(_url(name, day)).content.decode()
    client.force_login(learner)

    response = client.get(_url(name, day))

    assert "Signed in as" in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_parameters_in_another_order_find_the_same_page(client, django_assert_num_queries, day, slot):
    client.get(_url("surgeries:day_detail", day, "?when=morning&group=topic"))

    with django_assert_num_queries(0):
        client.get(_url("surgeries:day_detail", day, "?group=topic&when=morning"))


def test_an_htmx_request_and_a_whole_page_are_kept_apart(client, day, slot):
    url = _url("surgeries:day_detail", day)
    whole = client.get(url).content.decode()

    part = client.get(url, headers={"HX-Request": "true"}).content.decode()
    again = client.get(url).content.decode()

    assert "<html" in whole
    assert "<html" not in part
    assert "free session" in part
    assert again == whole


def test_a_visitor_with_a_session_gets_a_page_made_for_them(client, django_assert_num_queries, day, slot):
    client.get(_url("surgeries:day_detail", day))
    client.cookies["sessionid"] = "not-a-session"

    with django_assert_num_queries(3):  # the venue's zone, the day, the session looked up
        response = client.get(_url("surgeries:day_detail", day))

    assert response.status_code == 200


def test_a_draft_day_is_not_kept_for_visitors_and_shows_once_published(client, day, slot):
    SurgeryDay.objects.filter(pk=day.pk).update(status=SurgeryDay.Status.DRAFT)
    assert client.get(_url("surgeries:day_detail", day)).status_code == 404

    day.status = SurgeryDay.Status.PUBLISHED
    day.save()

    assert client.get(_url("surgeries:day_detail", day)).status_code == 200


def test_a_kept_page_drops_a_slot_once_it_starts(client, day, surgeon):
    day_surgeon = DaySurgeonFactory(day=day, person=surgeon)
    first = SlotFactory(day_surgeon=day_surgeon)
    SlotFactory(day_surgeon=day_surgeon, starts_at=first.starts_at + timedelta(minutes=30))
    with time_machine.travel(first.starts_at - timedelta(minutes=5), tick=False):
        assert "2 free sessions" in client.get(_url("surgeries:day_detail", day)).content.decode()

    with time_machine.travel(first.starts_at + timedelta(minutes=5), tick=False):
        page = client.get(_url("surgeries:day_detail", day)).content.decode()

    assert "1 free session." in page


def test_an_unknown_host_is_refused_before_a_kept_page_answers(client, day, slot):
    client.get(_url("surgeries:day_detail", day))

    response = client.get(_url("surgeries:day_detail", day), headers={"host": "elsewhere.example"})

    assert response.status_code == 400


@pytest.fixture
def cache_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    for name in ("get", "get_many", "add", "set", "incr"):
        monkeypatch.setattr(cache, name, refuse)


@pytest.mark.parametrize("name", PAGES)
def test_the_pages_are_served_to_visitors_when_the_cache_is_down(client, cache_down, day, slot, name):
    assert client.get(_url(name, day)).status_code == 200
    assert client.get(_url(name, day)).status_code == 200
