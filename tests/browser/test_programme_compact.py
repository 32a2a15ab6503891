"""A big day's programme opens hour by hour, with every session a link away, on a phone and a desk."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible, assert_fits_width, log_in
from tests.factories import OrganisationFactory, SurgeryDayFactory, UserFactory, WorkshopFactory, booked_big_day, member

SCREENS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.mark.parametrize("screen", SCREENS)
def test_big_day_programme_opens_hour_by_hour_and_pages_every_session(page, screen):
    organisation = OrganisationFactory()
    day = SurgeryDayFactory(organisation=organisation, title="City-wide surgery")
    day = booked_big_day(day.organisation, surgeons=30, slots_each=2, bookings=10)
    WorkshopFactory(day=day, title="Staying safe online with a rather long workshop title")
    learner = member(organisation, display_name="Ade")
    page.set_viewport_size(SCREENS[screen])
    log_in(page, learner)

    page.goto(f"/days/{day.pk}/programme/")

    expect(page.get_by_role("link", name="Hour by hour")).to_have_attribute("aria-current", "page")
    expect(page.get_by_role("rowheader").first).to_contain_text("10:00 to 11:00")
    expect(page.get_by_role("link", name="Staying safe online with a rather long workshop title")).to_be_visible()
    expect(page.get_by_text("Learner 000")).to_have_count(0)
    assert_fits_width(page)
    assert_accessible(page)
    page.get_by_role("link", name="Every session, 30 surgeons").click()

    expect(page.get_by_text("Surgeons 1 to 25 of 30, by name.")).to_be_visible()
    page.get_by_role("link", name="Next page").click()
    expect(page.get_by_text("Surgeons 26 to 30 of 30, by name.")).to_be_visible()
    expect(page.get_by_text("Surgeon 029:").first).to_be_visible()
    assert_fits_width(page)
    assert_accessible(page)


def test_small_day_programme_keeps_the_full_timeline(page):
    organisation = OrganisationFactory()
    day = SurgeryDayFactory(organisation=organisation)
    day = booked_big_day(day.organisation, surgeons=3, slots_each=1, bookings=0)
    log_in(page, UserFactory())

    page.goto(f"/days/{day.pk}/programme/")

    expect(page.get_by_text("Surgeon 002:")).to_be_visible()
    expect(page.get_by_role("link", name="Hour by hour")).to_have_count(0)
