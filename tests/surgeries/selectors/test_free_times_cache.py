"""The day page's free times come from the cache, and every change shows at once."""

from datetime import timedelta

import pytest
import time_machine
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse

from surgeries.models import Slot
from surgeries.services import booking_cancel
from tests.factories import DaySurgeonFactory, SlotFactory, big_day, booked_slot

pytestmark = pytest.mark.django_db


def _free_count(client, day) -> str:
    page = client.get(reverse("surgeries:day_detail", args=[day.pk])).content.decode()
    return page.split('id="free-times-total"')[1].split(" free session")[0].split(">")[-1]


def _two_free_slots(day):
    first = SlotFactory(day_surgeon=DaySurgeonFactory(day=day))
    second = SlotFactory(day_surgeon=DaySurgeonFactory(day=day), starts_at=day.starts_at + timedelta(minutes=30))
    return first, second


def test_cached_day_page_shows_a_booking_and_its_cancellation_at_once(client, day, learner):
    first, _ = _two_free_slots(day)
    assert _free_count(client, day) == "2"

    booking = booked_slot(slot=first, learner=learner)
    after_booking = _free_count(client, day)
    booking_cancel(booking_id=booking.pk, by=learner)

    assert (after_booking, _free_count(client, day)) == ("1", "2")


def test_cached_day_page_drops_a_withdrawn_slot_at_once(client, day):
    first, _ = _two_free_slots(day)
    assert _free_count(client, day) == "2"

    first.is_offered = False
    first.save(update_fields=["is_offered"])

    assert _free_count(client, day) == "1"


def test_cached_day_page_drops_a_slot_once_it_has_started(client, day):
    _two_free_slots(day)
    with time_machine.travel(day.starts_at - timedelta(minutes=1), tick=False):
        before = _free_count(client, day)
    with time_machine.travel(day.starts_at + timedelta(seconds=1), tick=False):
        after = _free_count(client, day)

    assert (before, after) == ("2", "1")


def test_signed_in_surgeon_never_sees_their_own_slots_from_the_visitors_cache(client, day, surgeon):
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon))
    SlotFactory(day_surgeon=DaySurgeonFactory(day=day))
    assert _free_count(client, day) == "2"

    client.force_login(surgeon)
    page = client.get(reverse("surgeries:day_detail", args=[day.pk])).content.decode()

    assert "1 free session" in page
    assert surgeon.display_name not in page.split('id="free-times-total"')[1]


def _everything_cached() -> bytes:
    store = getattr(cache, "_cache", None)
    if isinstance(store, dict):  # the local-memory cache
        return b"".join(store.values())
    client = cache._cache.get_client()
    keys = client.keys("*")
    return b"".join(value for value in client.mget(keys) if value) if keys else b""


def test_visitors_cache_never_holds_a_learners_name(client, day, learner):
    first, _ = _two_free_slots(day)
    booked_slot(slot=first, learner=learner)

    client.get(reverse("surgeries:day_detail", args=[day.pk]))
    client.get(reverse("surgeries:day_detail", args=[day.pk]) + "?group=topic")
    client.get(reverse("surgeries:programme", args=[day.pk]) + "?view=full")

    kept = _everything_cached()
    assert first.surgeon.display_name.encode() in kept  # the check can see names
    assert learner.display_name.encode() not in kept


def test_big_day_page_reads_nothing_for_its_free_times_once_cached(client, organisation, django_assert_num_queries):
    day = big_day(organisation, surgeons=40)
    url = reverse("surgeries:day_detail", args=[day.pk])
    # A session cookie that matches no session: the page is made afresh (a whole page is
    # kept only for visitors without one, surgeries/page_cache.py), its free times not.
    client.cookies[settings.SESSION_COOKIE_NAME] = "no-such-session"
    client.get(url)

    # the venue's zone (middleware) and the day: the free times come from the cache
    with django_assert_num_queries(2):
        response = client.get(url)

    assert f"{Slot.objects.filter(day=day).count()} free sessions" in response.content.decode()


def test_cached_day_page_shows_book_buttons_once_booking_opens(client, day):
    _two_free_slots(day)
    day.booking_opens_at = day.starts_at - timedelta(days=1)
    day.save(update_fields=["booking_opens_at"])
    url = reverse("surgeries:day_detail", args=[day.pk])

    with time_machine.travel(day.booking_opens_at - timedelta(minutes=1), tick=False):
        before = client.get(url).content.decode().count(">Book<")
    with time_machine.travel(day.booking_opens_at + timedelta(minutes=1), tick=False):
        after = client.get(url).content.decode().count(">Book<")

    assert (before, after) == (0, 2)
