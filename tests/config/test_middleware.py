"""Checks every page gets: personal pages kept out of caches, addresses with a NUL character refused."""

import pytest
from django.urls import reverse

from surgeries.services.booking import calendar_feed_renew
from tests.factories import DaySurgeonFactory, SlotFactory, SurgeryDayFactory, booked_slot

pytestmark = pytest.mark.django_db


@pytest.fixture
def booking(organisation, surgeon, learner):
    day = SurgeryDayFactory(organisation=organisation)
    return booked_slot(slot=SlotFactory(day_surgeon=DaySurgeonFactory(day=day, person=surgeon)), learner=learner)


def _personal_pages(booking, organisation, learner, surgeon) -> list[str]:
    day_id = booking.slot.day_id
    return [
        reverse("people:my_profile"),
        reverse("people:person_detail", args=[learner.pk]),
        reverse("people:data_export"),
        reverse("people:my_audit"),
        reverse("people:organisation_people", args=[organisation.slug]),
        reverse("people:organisation_audit", args=[organisation.slug]),
        reverse("surgeries:desk", args=[day_id]),
        reverse("surgeries:day_sheet", args=[day_id]) + f"?surgeon={surgeon.pk}",
        reverse("surgeries:my_bookings"),
        reverse("afterday:notes_download"),
        reverse("afterday:day_report_csv", args=[day_id]),
    ]


def test_personal_pages_are_never_kept_by_a_browser_or_proxy(
    client, organiser, organisation, learner, surgeon, booking
):
    client.force_login(organiser)

    for url in _personal_pages(booking, organisation, learner, surgeon):
        response = client.get(url)

        assert (url, response.status_code, response["Cache-Control"]) == (url, 200, "private, no-store")


def test_learners_own_booking_pages_are_never_kept_by_a_browser_or_proxy(client, learner, booking):
    client.force_login(learner)

    for url in [reverse("surgeries:my_bookings"), reverse("surgeries:booking_ics", args=[booking.pk])]:
        assert client.get(url)["Cache-Control"] == "private, no-store"


def test_calendar_feed_fetched_without_signing_in_is_never_kept(client, learner, booking):
    token = calendar_feed_renew(person=learner).token

    response = client.get(reverse("surgeries:calendar_feed", args=[token]))

    assert response["Cache-Control"] == "private, no-store"


def test_public_page_for_a_visitor_may_be_cached(client):
    response = client.get(reverse("code_of_conduct"))

    assert "no-store" not in response.get("Cache-Control", "")


@pytest.mark.parametrize("address", ["/calendar/%00.ics", "/days/1/?page=%00", "/?a%00=1"])
def test_address_with_a_nul_character_is_refused_in_plain_english(client, address):
    response = client.get(address)

    assert response.status_code == 400
    assert "Sorry, we could not understand that address" in response.content.decode()
