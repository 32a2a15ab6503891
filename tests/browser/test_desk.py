"""The organisers' desk on a busy day: find someone by name, a page at a time, on a phone and a desk."""

import re

import pytest
from playwright.sync_api import expect

from people.models import Membership
from surgeries.models import Booking
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import OrganisationFactory, SurgeryDayFactory, booked_big_day, member

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


def _busy_day():
    organisation = OrganisationFactory()
    day = SurgeryDayFactory(organisation=organisation, title="City-wide surgery")
    day = booked_big_day(day.organisation, surgeons=40, slots_each=2, bookings=40)
    return day, member(organisation, role=Membership.Role.ORGANISER, display_name="Priya")


@pytest.mark.parametrize("screen", SCREENS)
def test_desk_search_swaps_the_list_and_check_in_keeps_the_search(page, screen):
    day, organiser = _busy_day()
    page.set_viewport_size(SCREENS[screen])
    log_in(page, organiser)

    page.goto(f"/organise/days/{day.pk}/desk/")
    expect(page.get_by_text("40 bookings, showing 1 to 25.")).to_be_visible()
    assert_fits_width(page)
    assert_accessible(page)
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("40 bookings, showing 26 to 40.")).to_be_visible()
    expect(page.locator("#desk-list")).to_have_count(1)
    expect(page).to_have_url(re.compile(r"/desk/\?page=2"))
    # The pointer, left where "Next page" was, would hover a button mid-transition for the scan below.
    page.mouse.move(0, 0)
    page.get_by_label("Find by name").fill("Learner 007")

    # Swapped in place as they type (htmx), with the address kept for the back button.
    expect(page.get_by_text("1 booking matching “Learner 007”.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/desk/\?q=Learner(\+|%20)007"))
    assert_fits_width(page)
    assert_accessible(page)
    page.get_by_role("button", name="Check in Learner 007").click()

    expect(page.get_by_text("Learner 007 is checked in.")).to_be_visible()
    expect(page.get_by_label("Find by name")).to_have_value("Learner 007")
    assert Booking.objects.get(learner__display_name="Learner 007").checked_in_at is not None


def test_desk_search_and_pages_work_without_javascript(browser, live_server, transactional_db):
    day, organiser = _busy_day()
    context = browser.new_context(base_url=live_server.url, java_script_enabled=False, viewport=SCREENS["phone"])
    page = context.new_page()
    log_in(page, organiser)

    page.goto(f"/organise/days/{day.pk}/desk/")
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Page 2 of 2")).to_be_visible()
    page.get_by_label("Find by name").fill("Surgeon 012")
    page.get_by_role("button", name="Find").click()

    expect(page.get_by_text("1 booking matching “Surgeon 012”.")).to_be_visible()
    assert_fits_width(page)
    context.close()
