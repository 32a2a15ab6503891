"""The public day page on a phone: finding a free time on a big day, with and without JavaScript."""

import re
import zoneinfo
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from people.models import Membership
from surgeries.models import SurgeryDay
from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import DaySurgeonFactory, OrganisationFactory, SlotFactory, big_day, member

PHONE = {"width": 390, "height": 844}
BOOK = re.compile(r"^Book \d")


@pytest.fixture
def phone_page(page):
    page.set_viewport_size(PHONE)
    return page


def test_learner_narrows_a_big_day_to_one_hour_and_pages_through_it_on_a_phone(phone_page):
    organisation = OrganisationFactory()
    day = big_day(organisation, surgeons=60, slots_each=6)
    learner = member(organisation, role=Membership.Role.MEMBER, display_name="Lee")
    log_in(phone_page, learner)

    phone_page.goto(f"/days/{day.pk}/")
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
    expect(phone_page.get_by_text("360 free sessions.")).to_be_visible()
    # A marker that a full page load would wipe: htmx swaps only the results.
    phone_page.evaluate("() => { window.stillHere = true; }")

    phone_page.get_by_label("When").select_option(label="11:00 to 12:00")
    phone_page.get_by_role("button", name="Show free times").click()

    expect(phone_page.get_by_text("72 free sessions match what you chose.")).to_be_visible()
    expect(phone_page).to_have_url(re.compile(r"when=11"))
    assert phone_page.evaluate("() => window.stillHere === true")
    expect(phone_page.locator("#free-times-total")).to_be_focused()
    expect(phone_page.get_by_text("Page 1 of 4")).to_be_visible()
    assert_fits_width(phone_page)
    assert_accessible(phone_page)

    phone_page.get_by_role("link", name="Next page").click()
    expect(phone_page.get_by_text("Page 2 of 4")).to_be_visible()
    expect(phone_page.get_by_role("link", name=BOOK)).to_have_count(20)
    assert phone_page.evaluate("() => window.stillHere === true")

    phone_page.go_back()
    expect(phone_page.get_by_text("Page 1 of 4")).to_be_visible()


def test_free_times_can_be_narrowed_without_javascript(browser, live_server, transactional_db):
    organisation = OrganisationFactory()
    day = big_day(organisation, surgeons=30, slots_each=6, topics=4)
    context = browser.new_context(base_url=live_server.url, locale="en-GB", java_script_enabled=False, viewport=PHONE)
    page = context.new_page()
    try:
        page.goto(f"/days/{day.pk}/")
        page.get_by_label("Group by").select_option(label="Topic")
        page.get_by_role("button", name="Show free times").click()
        expect(page.get_by_role("heading", name=re.compile(r"^Topic 00: \d+ free$"))).to_be_visible()

        page.get_by_role("link", name="See all 90 free sessions for Topic 00").click()

        expect(page.get_by_role("heading", name="Topic 00: 90 free")).to_be_visible()
        assert "group=topic" in page.url
        assert_fits_width(page)
    finally:
        context.close()


def test_day_whose_booking_opens_later_says_when_and_offers_no_book_button(phone_page):
    organisation = OrganisationFactory()
    learner = member(organisation, role=Membership.Role.MEMBER, display_name="Lee")
    surgeon = member(organisation, role=Membership.Role.SURGEON, display_name="Sam")
    day = SlotFactory(day_surgeon=DaySurgeonFactory(day__organisation=organisation, person=surgeon)).day
    opens = timezone.now().replace(microsecond=0) + timedelta(days=1)
    SurgeryDay.objects.filter(pk=day.pk).update(booking_opens_at=opens)
    log_in(phone_page, learner)

    phone_page.goto(f"/days/{day.pk}/")

    local = opens.astimezone(zoneinfo.ZoneInfo("Europe/London"))
    when = f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} {local.tzname()}"
    # Said in the day's status at the top and again above the free times.
    expect(phone_page.locator("#day-status")).to_contain_text(f"Booking opens on {when}.")
    expect(phone_page.locator("#booking-opens")).to_contain_text(f"Booking opens on {when}.")
    expect(phone_page.get_by_text("Sam", exact=True)).to_be_visible()
    expect(phone_page.get_by_role("link", name=BOOK)).to_have_count(0)
    assert_fits_width(phone_page)
    assert_accessible(phone_page)
