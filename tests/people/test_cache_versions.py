"""A cache that does not answer makes pages slower, never broken, and never refuses a change."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from redis.exceptions import ConnectionError as RedisConnectionError

from people import cache_versions
from surgeries.models import Booking
from tests.factories import booked_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def cache_down(monkeypatch):
    def refuse(*args, **kwargs):
        raise RedisConnectionError("Connection refused")

    for name in ("get", "add", "set", "incr", "get_many", "set_many"):
        monkeypatch.setattr(cache, name, refuse)


def test_versions_count_up_and_kept_values_are_reused():
    first = cache_versions.version("test:version")
    cache_versions.bump("test:version")
    work = []

    def work_out():
        work.append(1)
        return "value"

    assert cache_versions.version("test:version") > first
    assert cache_versions.kept("test:kept", work_out) == cache_versions.kept("test:kept", work_out) == "value"
    assert len(work) == 1


def test_several_versions_and_kept_values_are_read_at_once_and_agree_with_one_by_one():
    cache_versions.bump("test:b")
    first = cache_versions.versions("test:a", "test:b")
    work = []

    def work_out(value):
        return lambda: work.append(value) or value

    kept = cache_versions.kept_many({"test:x": work_out("x"), "test:y": work_out("y")})
    again = cache_versions.kept_many({"test:x": work_out("x"), "test:y": work_out("y")})

    assert first == [cache_versions.version("test:a"), cache_versions.version("test:b")]
    assert kept == again == {"test:x": "x", "test:y": "y"}
    assert work == ["x", "y"]
    assert cache_versions.kept("test:x", work_out("other")) == "x"


def test_without_the_cache_every_version_is_new_and_values_are_worked_out(cache_down, caplog):
    work = []

    def work_out():
        work.append(1)
        return "value"

    assert cache_versions.version("test:version") != cache_versions.version("test:version")
    assert cache_versions.kept("test:kept", work_out) == cache_versions.kept("test:kept", work_out) == "value"
    assert len(work) == 2
    assert cache_versions.versions("test:a", "test:b") != cache_versions.versions("test:a", "test:b")
    assert cache_versions.kept_many({"test:kept": work_out}) == {"test:kept": "value"}
    assert len(work) == 3
    assert "The cache did not answer" in caplog.text


def test_a_booking_is_saved_when_the_cache_is_down(cache_down, slot, learner, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        booking = booked_slot(slot=slot, learner=learner)

    assert Booking.objects.get(pk=booking.pk).status == Booking.Status.ACTIVE


def test_the_day_page_is_served_when_the_cache_is_down(cache_down, client, day, slot):
    response = client.get(reverse("surgeries:day_detail", args=[day.pk]))

    assert response.status_code == 200
    assert "1 free session" in response.content.decode()
